using Drover.Api;
using System.Text.Json;
using Drover.Contracts.Agent;
using Drover.Coordinator.Migrations;
using Drover.Coordinator.Persistence;
using Drover.Coordinator.Rebalancing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Drover.Coordinator.Tests.Persistence;

/// <summary>
/// The saga's JSON columns are EF's own mapping now; rows written when the coordinator serialized them by hand (same columns,
/// System.Text.Json's default shape) read back whole, on a real SQLite file migrated by the schema migrations.
/// </summary>
public sealed class JsonColumnTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("drover-json-columns-");

    private SqliteCoordinatorDbContext Open() => new(new DbContextOptionsBuilder<SqliteCoordinatorDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_dir.FullName, "coordinator.db")}").Options);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Rows_written_while_the_lists_were_owned_entities_read_back_as_complex_collections()
    {
        var id = Guid.NewGuid();
        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261128002504_StreamedDiskDigests");   // the schema before
            db.Migrations.Add(new MigrationState { CorrelationId = id, CurrentState = "Completed", Vm = "web01", SourceHost = "kvm-a" });
            await db.SaveChangesAsync();
            // What the owned-entity mapping left: NULL for lists it never wrote, its own shape for those it did.
            await db.Database.ExecuteSqlAsync($$"""
                UPDATE migration_saga SET ProbesJson = NULL, EscalationsJson = NULL, CopiedDisks = NULL, Attempts = NULL, IgnoredEvents = NULL,
                    TimelineJson = '[{"At":"2026-11-27T10:00:00","Reason":null,"State":"Queued"},{"At":"2026-11-27T10:00:05","Reason":"done","State":"Completed"}]'
                WHERE CorrelationId = {{id}}
                """);
            await db.Database.MigrateAsync();
        }

        await using (var db = Open())
        {
            var s = await db.Migrations.SingleAsync(x => x.CorrelationId == id);
            Assert.Equal(["Queued", "Completed"], s.Timeline.Select(t => t.State));
            Assert.Equal("done", s.Timeline[1].Reason);
            Assert.Equal(new DateTime(2026, 11, 27, 10, 0, 5), s.Timeline[1].At);
            Assert.Empty(s.Probes);
            Assert.Empty(s.Escalations);
            Assert.Empty(s.CopiedDisks);
            Assert.Empty(s.Attempts);
            Assert.Empty(s.IgnoredEvents);

            // A change inside a list is seen and saved (values, compared whole).
            s.Timeline.Add(new StateChange { At = new DateTime(2026, 11, 27, 10, 1, 0), State = "Queued", Reason = "again" });
            s.CopiedDisks = [new DiskImage { Path = "/var/lib/drover/images/web01.qcow2", Format = "qcow2", CapacityBytes = 1 << 30, Sha256 = "ab" }];
            await db.SaveChangesAsync();
        }

        await using (var db = Open())
        {
            var s = await db.Migrations.AsNoTracking().SingleAsync(x => x.CorrelationId == id);
            Assert.Equal(["Queued", "Completed", "Queued"], s.Timeline.Select(t => t.State));
            Assert.Equal("ab", Assert.Single(s.CopiedDisks).Sha256);
        }
    }

    [Fact]
    public async Task Rows_the_hand_serializing_coordinator_wrote_read_back_through_the_ef_mapping()
    {
        var id = Guid.NewGuid();
        var job = Guid.NewGuid();
        await using (var db = Open())
        {
            await db.Database.MigrateAsync();
            db.Migrations.Add(new MigrationState { CorrelationId = id, CurrentState = "CleaningUp", Vm = "web01", SourceHost = "kvm-a" });
            db.Rebalances.Add(new RebalanceState { CorrelationId = job, CurrentState = "Running" });
            await db.SaveChangesAsync();
            // What the earlier coordinator wrote into the same columns: JsonSerializer.Serialize of its lists and map.
            var probe = new DiskProbe { DiskPath = "/srv/shared/web01.qcow2", ProbePath = "/srv/shared/.drover-probe-1", Token = "t0k3n" };
            var escalation = new Escalation("RaiseMaxDowntime", "3 iterations without progress", 600, 4, 1 << 20, DateTimeOffset.Parse("2026-11-26T10:00:00+00:00"));
            var move = new RebalanceMove { MigrationId = id, Vm = "web01", From = "kvm-a", To = "kvm-b", Kind = Contracts.MigrationKind.Live, MemoryKiB = 131072, Reason = "spread", Status = MoveStatus.Running };
            await db.Database.ExecuteSqlAsync($"""
                UPDATE migration_saga SET ProbesJson = {JsonSerializer.Serialize(new[] { probe })}, EscalationsJson = {JsonSerializer.Serialize(new[] { escalation })},
                    StepDurationsJson = {JsonSerializer.Serialize(new Dictionary<string, long> { ["ValidatingStorage"] = 120, ["TransferringMemory"] = 2500 })}
                WHERE CorrelationId = {id}
                """);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE rebalance_saga SET MovesJson = {JsonSerializer.Serialize(new[] { move })}, UnmovableJson = {JsonSerializer.Serialize(new[] { new UnmovableVm("db01", "kvm-a", "pinned") })}
                WHERE CorrelationId = {job}
                """);
        }

        await using (var db = Open())
        {
            var s = await db.Migrations.SingleAsync(x => x.CorrelationId == id);
            Assert.Equal("t0k3n", Assert.Single(s.Probes).Token);
            var e = Assert.Single(s.Escalations);
            Assert.Equal(("RaiseMaxDowntime", 600L, 4), (e.Action, e.MaxDowntimeMs, e.Iteration));
            Assert.Equal(DateTimeOffset.Parse("2026-11-26T10:00:00+00:00"), e.At);
            Assert.Equal(2500, s.StepDurations["TransferringMemory"]);
            var r = await db.Rebalances.SingleAsync(x => x.CorrelationId == job);
            Assert.Equal(MoveStatus.Running, Assert.Single(r.Moves).Status);
            Assert.Equal("pinned", Assert.Single(r.Unmovable).Reason);

            // And what EF writes, it reads: a step added to the map and a move finished are saved and come back.
            s.StepDurations = new(s.StepDurations) { ["CleaningUp"] = 40 };
            r.Moves = [r.Moves[0] with { Status = MoveStatus.Completed }];
            await db.SaveChangesAsync();
        }

        await using (var db = Open())
        {
            Assert.Equal(40, (await db.Migrations.SingleAsync(x => x.CorrelationId == id)).StepDurations["CleaningUp"]);
            Assert.Equal(MoveStatus.Completed, Assert.Single((await db.Rebalances.SingleAsync(x => x.CorrelationId == job)).Moves).Status);
        }
    }
}
