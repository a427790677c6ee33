using System.Text.Json.Serialization;

namespace Drover.Contracts.Rebalancing;

/// <summary>What a fleet job evens out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RebalanceStrategy>))]   // on the bus: a name in any case, or a number
public enum RebalanceStrategy
{
    /// <summary>Memory utilisation (VM memory over host memory).</summary>
    BalanceMemory,

    /// <summary>vCPUs per host CPU.</summary>
    BalanceVCpus,
}
