namespace Drover.Coordinator.Rebalancing;

/// <summary>The fleet's spread measured from heartbeats sent after a finished job's moves, for the job's record.</summary>
public sealed record RebalanceSpreadMeasured
{
    public required Guid RebalanceId { get; init; }

    /// <summary>Max − min utilisation of the hosts that are up, in percentage points: the planner's measure.</summary>
    public required double SpreadPoints { get; init; }

    public required DateTime MeasuredAt { get; init; }
}
