using System.Diagnostics;
using System.Globalization;
using Drover.Api;
using Drover.Coordinator.Migrations;
using Drover.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

// What the database side of one saga turn costs the coordinator's process (EF Core and Npgsql, nothing of MassTransit):
// a context from the pool, the row found as every saga message finds it, changed as a step changes it, saved with its
// version checked — against a real PostgreSQL (bench/saga-turn.sh starts it). Three kinds of turn, each measured apart:
//   load    the row read and tracked, nothing changed (the least a saga message costs)
//   update  and a step's own columns changed and saved (state, sequence, deadline, times, version)
//   turn    and, as the state observer does on every transition, a timeline entry and the step's duration
// Usage: Drover.SagaTurnBench CONNECTION-STRING [TURNS]
// Last line: saga turn: load L µs, update U µs, turn T µs of cpu per turn (EF Core and Npgsql)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Drover.SagaTurnBench CONNECTION-STRING [TURNS]");
    return 2;
}
int turns = args.Length > 1 ? int.Parse(args[1]) : 20_000;
const int Concurrency = 16, Rows = Concurrency * 13, Rounds = 6, WarmRounds = 2;   // 16: the saga endpoint's concurrent message limit

var factory = new CoordinatorDbContextFactory(Options.Create(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = args[0] }));
await using (var db = factory.CreateDbContext())
{
    await db.Database.EnsureDeletedAsync();
    await db.Database.MigrateAsync();
}
var ids = await SeedRows();

string[] steps = ["ValidatingStorage", "DefiningDomain", "TransferringMemory", "CuttingOver", "CleaningUp"];
var results = new Dictionary<string, double>();
foreach (string kind in new[] { "load", "update", "turn" })
{
    // The first rounds compile and warm (tiered compilation), the median of the rest is the figure.
    var rounds = new List<double>();
    for (int round = 0; round < Rounds; round++) rounds.Add(await Round(kind));
    results[kind] = rounds.Skip(WarmRounds).Order().ElementAt((Rounds - WarmRounds) / 2);
    Console.WriteLine($"{kind,-6} {string.Join(", ", rounds.Select(r => $"{r:0} µs"))} (the first {WarmRounds} warm)");
}
Console.WriteLine($"saga turn: load {results["load"]:0} µs, update {results["update"]:0} µs, turn {results["turn"]:0} µs of cpu per turn (EF Core and Npgsql)");
return 0;

async Task<double> Round(string kind)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    // Each worker its own rows (turn i ≡ worker mod Concurrency, and Rows a multiple of it): no two turns on one row at
    // once, as the saga's messages of one instance take turns.
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async worker =>
    {
        for (int i = worker; i < turns; i += Concurrency) await Turn(kind, i);
    }));
    return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / turns;
}

async Task Turn(string kind, int i)
{
    await using var db = factory.CreateDbContext();
    var s = await SagaRows<MigrationState>.FindTracked(db, ids[i % Rows], CancellationToken.None)
            ?? throw new InvalidOperationException("a seeded row is gone");
    if (kind == "load") return;
    var now = DateTime.UtcNow;
    s.CurrentState = steps[i % steps.Length];
    s.StepSequence++;
    s.StepStartedAt = now;
    s.StepDeadline = now.AddSeconds(30);
    s.StateEnteredAt = now;
    if (kind == "turn")
    {
        s.StepDurations = new(s.StepDurations) { [s.CurrentState] = i };
        s.Timeline.RemoveAt(0);   // the row's history stays as long as a migration's
        s.Timeline.Add(new StateChange { At = now, State = s.CurrentState });
    }
    s.Version++;   // as the saga repository does: the original value stays in the UPDATE's WHERE
    await SagaRows<MigrationState>.Last(db, CancellationToken.None);
}

async Task<List<Guid>> SeedRows()
{
    await using var db = factory.CreateDbContext();
    var now = DateTime.UtcNow;
    var seeded = new List<Guid>();
    for (int i = 0; i < Rows; i++)
    {
        // A row as a migration's is halfway: the request, the source's report (a domain XML of a few KiB), its history.
        var s = new MigrationState
        {
            CorrelationId = Guid.NewGuid(), CurrentState = "TransferringMemory", Version = 1, Vm = $"vm{i:0000}", SourceHost = "sim-001",
            DestinationHost = "sim-002", DomainName = $"vm{i:0000}", DomainUuid = Guid.NewGuid(), MigratableXml = new string('x', 3000),
            MemoryKiB = 1 << 20, VCpus = 1, CreatedAt = now, StateEnteredAt = now, AdmittedTo = "sim-002", AdmittedAt = now,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            StepDurations = new() { ["ValidatingStorage"] = 80, ["DefiningDomain"] = 90 },
        };
        foreach (string state in new[] { "Queued", "ValidatingStorage", "DefiningDomain", "TransferringMemory" })
            s.Timeline.Add(new StateChange { At = now, State = state });
        db.Migrations.Add(s);
        seeded.Add(s.CorrelationId);
    }
    await db.SaveChangesAsync();
    return seeded;
}
