using Drover.Api;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Hosts;

namespace Drover.Coordinator.Migrations;

/// <summary>Chooses a destination: among Up hosts that pass the checks validation will make, the one with most room left after the move.</summary>
public static class Placement
{
    public static (HostView? Host, string? Reason) Choose(MigrationState q, DomainSummary vm, HostView source, IReadOnlyList<HostView> hosts, IReadOnlyList<ActiveMigration> active)
    {
        var refused = new List<string>();
        HostView? best = null;
        long bestRoom = long.MinValue;
        foreach (var h in hosts.Where(h => h.Name != source.Name))
        {
            long room = AdmissionPolicy.Room(h, active) - vm.MemoryKiB;
            string? why = h.Unavailable is { } unavailable ? unavailable
                : AdmissionPolicy.Unreachable(q, vm, source, h) is { } disk ? $"cannot see {disk}"
                : h.Cpus < vm.VCpus ? $"{h.Cpus} CPUs < {vm.VCpus} vCPUs"
                : h.LibvirtVersion < source.LibvirtVersion || h.HypervisorVersion < source.HypervisorVersion ? "older libvirt/QEMU"
                : room < 0 ? $"{(room + vm.MemoryKiB) / 1024} MiB free < {vm.MemoryKiB / 1024} MiB"
                : null;
            if (why is not null)
            {
                refused.Add($"{h.Name}: {why}");
                continue;
            }
            // A host an earlier attempt failed on comes last: any other eligible host is preferred.
            if (q.FailedDestinations.Contains(h.Name)) room -= long.MaxValue / 2;
            if (room > bestRoom)
            {
                best = h;
                bestRoom = room;
            }
        }
        return best is null
            ? (null, "No host can take the VM" + (refused.Count > 0 ? $" ({string.Join("; ", refused)})" : ": no other host has reported"))
            : (best, (q.FailedDestinations.Contains(best.Name) ? $"{best.Name}, where an earlier attempt failed, is the only host left" : $"{best.Name} has the most room after the move ({bestRoom / 1024} MiB free)") + (refused.Count > 0 ? $"; not {string.Join("; ", refused)}" : ""));
    }
}
