using Drover.Contracts.Rebalancing;

namespace Drover.Coordinator.Rebalancing;

/// <summary>From the rebalance saga to the planner consumer: plan from the current inventory.</summary>
public sealed record PlanRebalance
{
    public required Guid RebalanceId { get; init; }
    public RebalanceStrategy Strategy { get; init; }
    public string? DrainHost { get; init; }
    public double TargetSpreadPoints { get; init; } = 5;
}
