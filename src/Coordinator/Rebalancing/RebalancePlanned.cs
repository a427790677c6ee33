using Drover.Api;

namespace Drover.Coordinator.Rebalancing;

/// <summary>The plan for a fleet job (or why there is none).</summary>
public sealed record RebalancePlanned
{
    public required Guid RebalanceId { get; init; }
    public required IReadOnlyList<RebalanceMove> Moves { get; init; }
    public required IReadOnlyList<UnmovableVm> Unmovable { get; init; }
    public required double SpreadBefore { get; init; }
    public required double SpreadAfter { get; init; }
    public string? Error { get; init; }
}
