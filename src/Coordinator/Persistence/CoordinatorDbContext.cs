using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Persistence;

/// <summary>The coordinator's database: migration sagas and the host inventory. One subclass per provider carries its schema migrations.</summary>
public abstract class CoordinatorDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<MigrationState> Migrations => Set<MigrationState>();

    public DbSet<HostRecord> Hosts => Set<HostRecord>();

    public DbSet<Rebalancing.RebalanceState> Rebalances => Set<Rebalancing.RebalanceState>();

    public DbSet<Api.ApiKeyRecord> ApiKeys => Set<Api.ApiKeyRecord>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        var m = b.Entity<MigrationState>();
        m.ToTable("migration_saga");
        m.HasKey(x => x.CorrelationId);
        m.Property(x => x.CorrelationId).ValueGeneratedNever();
        m.Property(x => x.Version).IsConcurrencyToken();
        m.Property(x => x.CurrentState).HasMaxLength(32);
        m.Property(x => x.Vm).HasMaxLength(64);
        m.Property(x => x.SourceHost).HasMaxLength(63);
        m.Property(x => x.DestinationHost).HasMaxLength(63);
        m.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        m.Property(x => x.TraceParent).HasMaxLength(64);
        m.Property(x => x.FailureCode).HasConversion<string>().HasMaxLength(32);
        m.Property(x => x.FactsVerdict).HasMaxLength(32);
        m.Property(x => x.RejectedField).HasMaxLength(64);
        m.Property(x => x.ReconcileAfter).HasMaxLength(32);
        m.Property(x => x.RequestedDestination).HasMaxLength(63);
        m.Property(x => x.AdmittedTo).HasMaxLength(63);
        // Lists kept as JSON columns, mapped as complex collections: values, not owned entities that EF tracks one by one
        // (loading, snapshotting and comparing those was a large part of every saga message's cost: bench/control-plane.sh).
        m.ComplexCollection(x => x.Attempts, a => a.ToJson());
        m.ComplexCollection(x => x.IgnoredEvents, e => e.ToJson());
        m.ComplexCollection(x => x.Timeline, t => t.ToJson("TimelineJson"));
        // JSON columns of earlier schemas keep their names and contents: EF reads and writes them now.
        m.ComplexCollection(x => x.Probes, p => p.ToJson("ProbesJson"));
        m.ComplexCollection(x => x.Escalations, e => e.ToJson("EscalationsJson"));
        m.ComplexCollection(x => x.CopiedDisks, d => d.ToJson());
        m.Property(x => x.StepDurations).IsJsonText("StepDurationsJson");
        m.HasIndex(x => x.CurrentState);
        m.HasIndex(x => x.StepDeadline);

        var r = b.Entity<Rebalancing.RebalanceState>();
        r.ToTable("rebalance_saga");
        r.HasKey(x => x.CorrelationId);
        r.Property(x => x.CorrelationId).ValueGeneratedNever();
        r.Property(x => x.Version).IsConcurrencyToken();
        r.Property(x => x.CurrentState).HasMaxLength(32);
        r.Property(x => x.Strategy).HasConversion<string>().HasMaxLength(16);
        r.OwnsMany(x => x.Moves, mv =>
        {
            mv.ToJson("MovesJson");
            mv.Property(x => x.Kind).HasConversion<string>();
        });
        r.OwnsMany(x => x.Unmovable, u => u.ToJson("UnmovableJson"));

        var k = b.Entity<Api.ApiKeyRecord>();
        k.ToTable("api_key");
        k.HasKey(x => x.Name);
        k.Property(x => x.Name).HasMaxLength(64);
        k.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
        k.Property(x => x.KeyHash).HasMaxLength(64);
        k.Property(x => x.SessionHash).HasMaxLength(64);
        k.Property(x => x.CreatedBy).HasMaxLength(64);
        k.HasIndex(x => x.KeyHash).IsUnique();

        var h = b.Entity<HostRecord>();
        h.ToTable("host");
        h.HasKey(x => x.Name);
        h.Property(x => x.Name).HasMaxLength(63);
        h.Property(x => x.SharedStorage).IsJsonText("SharedStorageJson");
        h.Property(x => x.Domains).IsJsonText("DomainsJson");
    }
}
