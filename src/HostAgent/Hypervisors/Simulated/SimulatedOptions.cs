using System.ComponentModel.DataAnnotations;

namespace Drover.HostAgent.Hypervisors.Simulated;

/// <summary>
/// Simulated hosts (<c>Agent:Simulated</c>) and the model their timings come from. For measuring the control plane only:
/// the step consumers run unchanged, against domains that exist only in the agent's memory.
/// </summary>
public sealed class SimulatedOptions
{
    /// <summary>How many hosts this agent process simulates (<c>{Agent:HostName}-01</c>, ...).</summary>
    [Range(1, 1000)]
    public int Hosts { get; set; } = 50;

    /// <summary>How many domains exist at start, running, persistent, spread evenly over the hosts.</summary>
    [Range(0, 1_000_000)]
    public int Domains { get; set; } = 1000;

    [Range(64, 1024 * 1024)]
    public int DomainMemoryMiB { get; set; } = 1024;

    [Range(1, 64)]
    public int DomainVCpus { get; set; } = 1;

    [Range(1, 64 * 1024)]
    public int HostMemoryGiB { get; set; } = 256;

    [Range(1, 4096)]
    public int HostCpus { get; set; } = 64;

    /// <summary>The memory copy's speed when the request sets no lower limit: a transfer takes memory / bandwidth.</summary>
    [Range(1, 1024 * 1024)]
    public int BandwidthMiBps { get; set; } = 4096;

    /// <summary>The pause at the switch a live migration reports.</summary>
    [Range(0, 60_000)]
    public int DowntimeMs { get; set; } = 30;

    /// <summary>The share of transfers that fail half-way (libvirt's "operation failed"), for fault tests.</summary>
    [Range(0.0, 1.0)]
    public double TransferFailureRate { get; set; }

    /// <summary>Hosts whose hypervisor does not answer (steps fail as with a libvirtd that is away; heartbeats say Degraded).</summary>
    public List<string> UnavailableHosts { get; set; } = [];

    /// <summary>The directory every simulated host shares (disks and storage probes live there); empty for a temporary one.</summary>
    public string StorageDirectory { get; set; } = "";

    /// <summary>Seeds the failures drawn, so that a run can be repeated.</summary>
    public int Seed { get; set; } = 1;
}
