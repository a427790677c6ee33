namespace Drover.Contracts.Rebalancing;

/// <summary>Plan and run migrations that even out the fleet. With <see cref="DryRun"/> the plan waits for <see cref="ApproveRebalance"/>.</summary>
public sealed record RebalanceFleet
{
    /// <summary>Identifies the job.</summary>
    public required Guid RebalanceId { get; init; }

    /// <summary>What to even out.</summary>
    public RebalanceStrategy Strategy { get; init; } = RebalanceStrategy.BalanceMemory;

    /// <summary>Stop once max − min utilisation is at most this many percentage points.</summary>
    public double TargetSpreadPoints { get; init; } = 5;

    /// <summary>Only plan; run after <see cref="ApproveRebalance"/>.</summary>
    public bool DryRun { get; init; }
}
