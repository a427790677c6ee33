using System.ComponentModel.DataAnnotations;

namespace Drover.Coordinator.Rebalancing;

public sealed class RebalanceOptions
{
    public const string Section = "Rebalancing";

    /// <summary>How many of a job's migrations run at once.</summary>
    [Range(1, 64)]
    public int Window { get; set; } = 2;

    /// <summary>Memory kept free on every destination, in percent.</summary>
    [Range(0, 90)]
    public double ReservePercent { get; set; } = 10;

    /// <summary>VMs the operator pinned to their host: never moved by a job.</summary>
    public List<string> PinnedVms { get; set; } = [];
}
