namespace Drover.Coordinator.Rebalancing;

/// <summary>One of a job's migrations ended.</summary>
public sealed record RebalanceMoveFinished
{
    public required Guid RebalanceId { get; init; }
    public required Guid MigrationId { get; init; }
    public required bool Succeeded { get; init; }
    public required string Outcome { get; init; }
}
