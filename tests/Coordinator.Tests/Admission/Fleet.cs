using Drover.Api;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Tests.Admission;

/// <summary>Hosts, VMs and queued migrations as admission and placement see them, for the pure policy tests.</summary>
internal static class Fleet
{
    public const long MiB = 1024;
    public static readonly DateTime Now = new(2026, 11, 27, 8, 0, 0, DateTimeKind.Utc);

    public static DomainSummary Vm(string name = "web01", DomainRunState state = DomainRunState.Running, long memoryMiB = 512, params string[] disks) => new()
    {
        Name = name, Uuid = Guid.NewGuid(), State = state, VCpus = 1, MemoryKiB = memoryMiB * MiB, Persistent = true,
        Disks = disks.Length > 0 ? disks : ["/srv/shared/" + name + ".qcow2"],
    };

    public static HostView Host(string name, long freeMiB = 4096, HostStatus status = HostStatus.Up, string[]? shared = null, DateTime? beat = null, params DomainSummary[] domains) => new()
    {
        Name = name, Status = status, MigrationUri = $"qemu+tcp://{name}/system", LibvirtVersion = 9_000_000, HypervisorVersion = 7_002_000,
        CpuModel = "qemu64", Cpus = 2, MemoryTotalKiB = 8192 * MiB, MemoryFreeKiB = freeMiB * MiB, SharedStorage = shared ?? ["/srv/shared"],
        Domains = domains, LastHeartbeatAt = beat ?? Now, HypervisorError = status == HostStatus.Degraded ? "Cannot recv data: Connection reset by peer" : null,
    };

    public static MigrationState Queued(string vm = "web01", string from = "kvm-a", string? to = "kvm-b", MigrationKind kind = MigrationKind.Live) => new()
    {
        CorrelationId = Guid.NewGuid(), CurrentState = nameof(MigrationStatus.Queued), Vm = vm, SourceHost = from, DestinationHost = to,
        RequestedDestination = to, Kind = kind, CreatedAt = Now.AddSeconds(-1),
    };
}
