namespace Drover.Coordinator.Hosts;

/// <summary>A host as its latest heartbeat described it.</summary>
public sealed class HostRecord
{
    public string Name { get; set; } = "";
    public string MigrationUri { get; set; } = "";
    public long LibvirtVersion { get; set; }
    public long HypervisorVersion { get; set; }
    public string CpuModel { get; set; } = "";
    public int Cpus { get; set; }
    public long MemoryTotalKiB { get; set; }
    public long MemoryFreeKiB { get; set; }

    /// <summary>The shared storage directories.</summary>
    public List<string> SharedStorage { get; set; } = [];

    /// <summary>The domains, as the agent listed them.</summary>
    public List<Drover.Contracts.Hosts.DomainSummary> Domains { get; set; } = [];

    /// <summary>When the coordinator recorded the latest heartbeat (its own clock: the host's status is reckoned from it).</summary>
    public DateTime LastHeartbeatAt { get; set; }

    /// <summary>When the agent read the host for that heartbeat (its clock): an older heartbeat, delivered late, changes nothing.</summary>
    public DateTimeOffset? ReportedAt { get; set; }
    public bool HypervisorAvailable { get; set; } = true;
    public string? HypervisorError { get; set; }
}
