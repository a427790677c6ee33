namespace Drover.Contracts.Rebalancing;

/// <summary>Move every VM off one host (before maintenance). With <see cref="DryRun"/> the plan waits for <see cref="ApproveRebalance"/>.</summary>
public sealed record DrainHost
{
    /// <summary>Identifies the job.</summary>
    public required Guid RebalanceId { get; init; }

    /// <summary>The host to empty.</summary>
    public required string Host { get; init; }

    /// <summary>Only plan; run after <see cref="ApproveRebalance"/>.</summary>
    public bool DryRun { get; init; }
}
