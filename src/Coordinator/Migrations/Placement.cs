using Drover.Api;
using Drover.Contracts.Hosts;
using Drover.Contracts;
using Drover.Coordinator.Hosts;

namespace Drover.Coordinator.Migrations;

/// <summary>Chooses a destination: among Up hosts that pass the checks validation will make, the one with most room left after the
/// move — preferring hosts that can take another incoming migration now over hosts at their limit, which would keep the
/// migration waiting while others are free.</summary>
public static class Placement
{
    /// <summary>Every reason <paramref name="h"/> cannot take the VM now (empty when it can): the checks admission makes
    /// and the ones the agents' validation would fail on, from the inventory.</summary>
    public static IReadOnlyList<string> Refusals(MigrationState q, DomainSummary vm, HostView source, HostView h, FleetLoad fleet)
    {
        var reasons = new List<string>();
        long room = fleet.Room(h);
        if (h.Unavailable is { } unavailable) reasons.Add(unavailable);
        if (AdmissionPolicy.Unreachable(q, vm, fleet.SharedStorage(source, h)) is { } disk) reasons.Add($"cannot see {disk}");
        if (h.Cpus < vm.VCpus) reasons.Add($"{h.Cpus} CPUs < {vm.VCpus} vCPUs");
        if (h.LibvirtVersion < source.LibvirtVersion || h.HypervisorVersion < source.HypervisorVersion) reasons.Add("older libvirt/QEMU");
        if (room < vm.MemoryKiB) reasons.Add($"{room / 1024} MiB free < {vm.MemoryKiB / 1024} MiB");
        if (fleet.DomainNamed(h, vm.Name) is { } taken && (taken.State.IsActive() || taken.Uuid != vm.Uuid))
            reasons.Add($"a domain named '{vm.Name}' already {(taken.State.IsActive() ? "runs" : "is defined")} there");
        return reasons;
    }

    /// <summary>The best of <paramref name="hosts"/> (every host but the source may be among them), and why.</summary>
    public static (HostView? Host, string? Reason) Choose(MigrationState q, DomainSummary vm, HostView source, IReadOnlyList<HostView> hosts, FleetLoad fleet,
        int maxIncomingPerHost = int.MaxValue)
    {
        var refused = new List<string>();
        HostView? best = null;
        long bestRoom = long.MinValue;
        int bestRank = int.MaxValue;
        bool anyAtLimit = false;
        foreach (var h in hosts.Where(h => h.Name != source.Name))
        {
            long room = fleet.Room(h) - vm.MemoryKiB;
            if (Refusals(q, vm, source, h, fleet).FirstOrDefault() is { } why)
            {
                refused.Add($"{h.Name}: {why}");
                continue;
            }
            // A host an earlier attempt failed on comes last: any other eligible host is preferred. Then a host that can take
            // it now, then the most room.
            bool atLimit = fleet.Incoming(h.Name) >= maxIncomingPerHost;
            anyAtLimit |= atLimit;
            int rank = (q.FailedDestinations.Contains(h.Name) ? 2 : 0) + (atLimit ? 1 : 0);
            if (rank < bestRank || (rank == bestRank && room > bestRoom))
            {
                best = h;
                bestRoom = room;
                bestRank = rank;
            }
        }
        return best is null
            ? (null, "No host can take the VM" + (refused.Count > 0 ? $" ({string.Join("; ", refused)})" : ": no other host has reported"))
            : (best, (q.FailedDestinations.Contains(best.Name) ? $"{best.Name}, where an earlier attempt failed, is the only host left" : $"{best.Name} has the most room after the move ({bestRoom / 1024} MiB free){(anyAtLimit && bestRank == 0 ? " of the hosts that can take another migration now" : "")}") + (refused.Count > 0 ? $"; not {string.Join("; ", refused)}" : ""));
    }
}
