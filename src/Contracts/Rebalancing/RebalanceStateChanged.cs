namespace Drover.Contracts.Rebalancing;

/// <summary>A fleet job entered a new state.</summary>
public sealed record RebalanceStateChanged
{
    /// <summary>The job.</summary>
    public required Guid RebalanceId { get; init; }

    /// <summary>Planning, AwaitingApproval, Executing, Cancelling, Completed, Cancelled, PartlyFailed or Failed.</summary>
    public required string State { get; init; }

    /// <summary>Moves planned.</summary>
    public required int MovesPlanned { get; init; }

    /// <summary>Moves finished (any outcome).</summary>
    public required int MovesFinished { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }
}
