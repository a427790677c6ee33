using Microsoft.EntityFrameworkCore;
namespace Drover.Coordinator.Migrations;

/// <summary>A migration that holds host resources, as admission counts it.</summary>
public sealed record ActiveMigration(Guid Id, string Vm, string? DomainName, string SourceHost, string? DestinationHost, long MemoryKiB);

public static class ActiveMigrations
{
    /// <summary>Migrations that hold their hosts: running, or admitted and on their way to running.</summary>
    public static IQueryable<ActiveMigration> Active(this Persistence.CoordinatorDbContext db)
    {
        string queued = nameof(Drover.Api.MigrationStatus.Queued);
        return db.Migrations.AsNoTracking().Where(m => Drover.Api.MigrationStatuses.Active.Contains(m.CurrentState) || (m.CurrentState == queued && m.AdmittedTo != null))
            .Select(m => new ActiveMigration(m.CorrelationId, m.Vm, m.DomainName, m.SourceHost, m.DestinationHost ?? m.AdmittedTo, m.MemoryKiB));
    }
}
