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

    /// <summary>The shared storage directories, as JSON.</summary>
    public string SharedStorageJson { get; set; } = "[]";

    /// <summary>The domains (<see cref="Drover.Contracts.Hosts.DomainSummary"/>), as JSON.</summary>
    public string DomainsJson { get; set; } = "[]";

    public DateTime LastHeartbeatAt { get; set; }
    public bool HypervisorAvailable { get; set; } = true;
    public string? HypervisorError { get; set; }
}
