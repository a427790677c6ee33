using Drover.Contracts.Hosts;

namespace Drover.Api;

/// <summary>A host as the API and admission see it: its last heartbeat and whether it is Up.</summary>
public sealed record HostView
{
    public required string Name { get; init; }
    public required HostStatus Status { get; init; }
    public required string MigrationUri { get; init; }
    public required long LibvirtVersion { get; init; }
    public required long HypervisorVersion { get; init; }
    public required string CpuModel { get; init; }
    public required int Cpus { get; init; }
    public required long MemoryTotalKiB { get; init; }
    public required long MemoryFreeKiB { get; init; }
    public required IReadOnlyList<string> SharedStorage { get; init; }
    public required IReadOnlyList<DomainSummary> Domains { get; init; }
    public required DateTime LastHeartbeatAt { get; init; }

    /// <summary>Why the host is Degraded: libvirt's own words.</summary>
    public string? HypervisorError { get; init; }

    /// <summary>Why the host can take no migration now, or null when it is Up.</summary>
    public string? Unavailable => Status switch
    {
        HostStatus.Down => $"down (no heartbeat since {LastHeartbeatAt:u})",
        HostStatus.Degraded => $"degraded: its agent runs but libvirtd does not answer ({HypervisorError})",
        _ => null,
    };

    public long MemoryUsedKiB => MemoryTotalKiB - MemoryFreeKiB;
}
