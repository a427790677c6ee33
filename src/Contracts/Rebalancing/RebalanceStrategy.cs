namespace Drover.Contracts.Rebalancing;

/// <summary>What a fleet job evens out.</summary>
public enum RebalanceStrategy
{
    /// <summary>Memory utilisation (VM memory over host memory).</summary>
    BalanceMemory,

    /// <summary>vCPUs per host CPU.</summary>
    BalanceVCpus,
}
