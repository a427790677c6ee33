using Drover.Contracts.Hosts;

namespace Drover.Coordinator.Hosts;

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

    public long MemoryUsedKiB => MemoryTotalKiB - MemoryFreeKiB;
}
