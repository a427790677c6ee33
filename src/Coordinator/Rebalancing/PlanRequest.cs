namespace Drover.Coordinator.Rebalancing;

public enum PlanStrategy
{
    /// <summary>Even out memory utilisation (used / total) across hosts.</summary>
    BalanceMemory,

    /// <summary>Even out vCPUs per host CPU.</summary>
    BalanceVCpus,

    /// <summary>Move everything off one host.</summary>
    Drain,
}

/// <summary>What to plan for.</summary>
/// <param name="ReservePercent">Memory kept free on every destination, in percent of its total.</param>
/// <param name="TargetSpreadPoints">Stop balancing once max − min utilisation is at most this, in percentage points.</param>
public sealed record PlanRequest(PlanStrategy Strategy, string? DrainHost = null, double ReservePercent = 10, double TargetSpreadPoints = 5, int MaxMoves = 100_000);
