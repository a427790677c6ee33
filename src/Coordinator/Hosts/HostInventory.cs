using Drover.Contracts;
using Drover.Api;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Migrations;
using Drover.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Hosts;

/// <summary>The hosts table, fed by heartbeats. A host that missed three heartbeats is Down and gets no new migrations.</summary>
public sealed class HostInventory(IDbContextFactory<CoordinatorDbContext> dbFactory, IOptions<SagaOptions> options, TimeProvider clock)
{
    public async Task Record(HostHeartbeat h, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Hosts.FindAsync([h.Host], cancellationToken);
        bool first = row is null;
        if (row is null) db.Hosts.Add(row = new HostRecord { Name = h.Host });
        else if (row.ReportedAt >= h.At) return;   // a newer heartbeat got here first (another consumer, another coordinator)
        row.ReportedAt = h.At;
        row.LastHeartbeatAt = clock.GetUtcNow().UtcDateTime;
        row.HypervisorAvailable = h.HypervisorAvailable;
        row.HypervisorError = h.HypervisorAvailable ? null : h.HypervisorError ?? "libvirtd does not answer";
        if (!h.HypervisorAvailable)   // the agent speaks, libvirt does not: keep the last figures libvirt gave
        {
            await Save(db, first, cancellationToken);
            return;
        }
        row.MigrationUri = h.MigrationUri;
        row.LibvirtVersion = h.LibvirtVersion;
        row.HypervisorVersion = h.HypervisorVersion;
        row.CpuModel = h.CpuModel;
        row.Cpus = h.Cpus;
        row.MemoryTotalKiB = h.MemoryTotalKiB;
        row.MemoryFreeKiB = h.MemoryFreeKiB;
        row.SharedStorage = [.. h.SharedStorage];
        row.Domains = [.. h.Domains];
        await Save(db, first, cancellationToken);
    }

    private static async Task Save(CoordinatorDbContext db, bool first, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (first)
        {
            // Another coordinator recorded this host's first heartbeat at the same moment; the next one updates its row.
        }
    }

    /// <summary>The host a request that names no source starts from: the one the VM runs on, else the one it is defined on
    /// (shut off); null with the reason when the heartbeats show it on no host or on several.</summary>
    public static (string? Host, string? Why) SourceOf(string vm, IReadOnlyList<HostView> hosts)
    {
        var on = hosts.SelectMany(h => h.Domains.Where(d => d.Name == vm).Select(d => (h.Name, d.State))).ToList();
        var active = on.Where(x => x.State.IsActive()).ToList();
        var candidates = active.Count > 0 ? active : on;
        return candidates.Count switch
        {
            1 => (candidates[0].Name, null),
            0 => (null, $"VM '{vm}' is on no host the agents report: name its source host"),
            _ => (null, $"VM '{vm}' is on several hosts ({string.Join(", ", candidates.Select(x => $"{x.Name}: {x.State.ToWireName()}"))}): name its source host"),
        };
    }

    public async Task<IReadOnlyList<HostView>> All(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return rows.Select(r => new HostView
        {
            Name = r.Name,
            Status = now - r.LastHeartbeatAt > options.Value.HostDownAfter ? HostStatus.Down
                : r.HypervisorAvailable ? HostStatus.Up : HostStatus.Degraded,
            HypervisorError = r.HypervisorError,
            MigrationUri = r.MigrationUri,
            LibvirtVersion = r.LibvirtVersion,
            HypervisorVersion = r.HypervisorVersion,
            CpuModel = r.CpuModel,
            Cpus = r.Cpus,
            MemoryTotalKiB = r.MemoryTotalKiB,
            MemoryFreeKiB = r.MemoryFreeKiB,
            SharedStorage = r.SharedStorage,
            Domains = r.Domains,
            LastHeartbeatAt = r.LastHeartbeatAt,
        }).ToList();
    }
}
