namespace Drover.Contracts.Rebalancing;

/// <summary>Run a planned job that is waiting for approval.</summary>
public sealed record ApproveRebalance
{
    /// <summary>The job.</summary>
    public required Guid RebalanceId { get; init; }
}
