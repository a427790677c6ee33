namespace Drover.Contracts.Rebalancing;

/// <summary>Start no more moves; the running ones finish.</summary>
public sealed record CancelRebalance
{
    /// <summary>The job.</summary>
    public required Guid RebalanceId { get; init; }
}
