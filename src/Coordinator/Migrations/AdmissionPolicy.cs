using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Hosts;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// Decides, from the inventory and the migrations already running, whether a queued migration may start:
/// hosts known and Up, the VM on the source in a state that fits the kind, its disks on storage both hosts
/// share, one migration per VM, per-host and global limits, and room on the destination counting migrations
/// already admitted. Chooses the destination when the request leaves it open. Pure: no I/O.
/// </summary>
public static class AdmissionPolicy
{
    public static AdmissionDecision Decide(MigrationState q, IReadOnlyList<ActiveMigration> active, IReadOnlyList<HostView> hosts, SagaOptions o) =>
        Decide(q, new FleetLoad(hosts, active), o);

    public static AdmissionDecision Decide(MigrationState q, FleetLoad fleet, SagaOptions o)
    {
        var hosts = fleet.Hosts;
        var source = fleet.Host(q.SourceHost);
        if (source is null) return new AdmissionDecision.Refuse("SourceHost", $"Unknown host '{q.SourceHost}': no agent has reported from it");
        if (source.Unavailable is { } sourceAway) return Away("SourceHost", q, source, sourceAway);

        var named = q.DestinationHost is null ? null : fleet.Host(q.DestinationHost);
        if (q.DestinationHost is not null && named is null)
            return new AdmissionDecision.Refuse("DestinationHost", $"Unknown host '{q.DestinationHost}': no agent has reported from it");
        if (named?.Unavailable is { } destinationAway) return Away("DestinationHost", q, named, destinationAway);

        // The inventory is as old as the last heartbeat. A VM it does not know yet is left to the source agent's
        // validation; and the inventory refuses a request only with facts newer than the request (until then it waits).
        var vm = fleet.Domain(source, q.Vm)
            ?? new DomainSummary { Name = q.Vm, Uuid = Guid.Empty, State = DomainRunState.NoState, VCpus = 0, MemoryKiB = 0, Persistent = false };
        bool fresh = source.LastHeartbeatAt >= q.CreatedAt;
        string stale = $"waiting for a heartbeat from '{source.Name}' newer than the request";
        if (q.Kind == MigrationKind.Offline && vm.State.IsActive())
            return fresh ? new AdmissionDecision.Refuse("Kind", $"VM '{vm.Name}' is {vm.State.ToWireName()}: offline migration needs it shut off (libvirt would leave it defined on both hosts)")
                : new AdmissionDecision.Wait(stale);
        if (q.Kind != MigrationKind.Offline && vm.State is DomainRunState.Shutoff or DomainRunState.Crashed)
            return fresh ? new AdmissionDecision.Refuse("Kind", $"VM '{vm.Name}' is {vm.State.ToWireName()}: a {q.Kind} migration needs it running; use Offline")
                : new AdmissionDecision.Wait(stale);

        var other = fleet.Migrating(q.CorrelationId, q.Vm, vm.Name);
        if (other is not null) return new AdmissionDecision.Refuse("Vm", $"VM '{vm.Name}' is already being migrated (migration {other.Id})");

        var destination = named;
        if (destination is not null)
        {
            if (Unreachable(q, vm, fleet.SharedStorage(source, destination)) is { } disk)
                return fresh ? new AdmissionDecision.Refuse("Kind", $"Disk {disk} is not on storage that '{source.Name}' and '{destination.Name}' share; ask for CopyStorage, or an offline migration that keeps the source's definition")
                    : new AdmissionDecision.Wait(stale);
            if (destination.MemoryTotalKiB < vm.MemoryKiB)
                return new AdmissionDecision.Refuse("DestinationHost", $"Host '{destination.Name}' has {destination.MemoryTotalKiB / 1024} MiB in all; the VM needs {vm.MemoryKiB / 1024} MiB");
        }

        // Limits that hold whatever the destination: no placement is worked out for a migration that cannot start now.
        int outgoing = fleet.Outgoing(source.Name);
        if (fleet.Count >= o.MaxConcurrent) return new AdmissionDecision.Wait($"{fleet.Count} migrations running, the limit is {o.MaxConcurrent}");
        if (outgoing >= o.MaxOutgoingPerHost) return new AdmissionDecision.Wait($"'{source.Name}' already sends {outgoing} migrations (limit {o.MaxOutgoingPerHost})");

        string? placement = null;
        if (destination is null)
        {
            (destination, placement) = Placement.Choose(q, vm, source, hosts, fleet, o.MaxIncomingPerHost);
            if (destination is null)
                return hosts.Any(h => h.Name != source.Name && IsLate(h, q))
                    ? new AdmissionDecision.Wait($"{placement}; waiting for the hosts that were up when the migration was asked")
                    : new AdmissionDecision.Refuse("DestinationHost", placement!);
        }

        int incoming = fleet.Incoming(destination.Name);
        if (incoming >= o.MaxIncomingPerHost) return new AdmissionDecision.Wait($"'{destination.Name}' already receives {incoming} migrations (limit {o.MaxIncomingPerHost})");
        long room = fleet.Room(destination);
        if (room < vm.MemoryKiB) return new AdmissionDecision.Wait($"'{destination.Name}' has {room / 1024} MiB free after admitted migrations; the VM needs {vm.MemoryKiB / 1024} MiB");

        return new AdmissionDecision.Admit(destination.Name, source.MigrationUri, destination.MigrationUri, placement, vm.MemoryKiB);
    }

    /// <summary>A host that cannot work now is refused — unless it is late (<see cref="IsLate"/>): the request waits for
    /// it, queued and cancellable.</summary>
    private static AdmissionDecision Away(string field, MigrationState q, HostView host, string away) =>
        IsLate(host, q)
            ? new AdmissionDecision.Wait($"Host '{host.Name}' is {away}; it was up when the migration was asked: waiting for it")
            : new AdmissionDecision.Refuse(field, $"Host '{host.Name}' is {away}");

    /// <summary>Down, but heard from after the migration was asked: its heartbeats are late (a busy host), not gone. A Degraded
    /// host says itself that its libvirtd does not answer: not late.</summary>
    private static bool IsLate(HostView host, MigrationState q) => host.Status == HostStatus.Down && host.LastHeartbeatAt >= q.CreatedAt;

    /// <summary>The first disk that must be shared but is not under a directory both hosts share (<see cref="FleetLoad.SharedStorage"/>);
    /// null when all are.</summary>
    public static string? Unreachable(MigrationState q, DomainSummary vm, IReadOnlyList<string> shared)
    {
        if (!Contracts.Agent.ValidateSource.MustShareDisks(q.Kind, q.CopyStorage, q.UndefineSource)) return null;
        return vm.Disks.FirstOrDefault(disk => !shared.Any(dir => disk.StartsWith(dir, StringComparison.Ordinal)));
    }
}
