using Drover.Coordinator.Hosts;
using Drover.Coordinator.Persistence;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// Starts queued migrations by priority, then age, within the limits (<see cref="AdmissionPolicy"/>). Runs when
/// a migration is queued or finishes, and every sweep interval. Its decisions are messages to the sagas.
/// </summary>
public sealed partial class AdmissionController(
    IDbContextFactory<CoordinatorDbContext> dbFactory, HostInventory inventory, IBus bus, AdmissionSignal signal,
    IOptions<SagaOptions> options, TimeProvider clock, ILogger<AdmissionController> logger) : BackgroundService
{
    // Decided here but maybe not yet out of Queued in the database: not decided twice, and an admitted one
    // counts as running meanwhile.
    private readonly Dictionary<Guid, (ActiveMigration? Admitted, DateTime At)> _decided = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Pass(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)   // the database or broker away: log, try again next time
            {
                LogPassFailed(e.Message);
            }
            await signal.WaitAsync(options.Value.SweepInterval, stoppingToken);
        }
    }

    public async Task Pass(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var queued = await db.Migrations.AsNoTracking().Where(m => m.CurrentState == nameof(MigrationStatus.Queued))
            .OrderByDescending(m => m.Priority).ThenBy(m => m.CreatedAt).ToListAsync(cancellationToken);
        if (queued.Count == 0) return;
        var active = await db.Migrations.AsNoTracking().Where(m => MigrationStatuses.Active.Contains(m.CurrentState))
            .Select(m => new ActiveMigration(m.CorrelationId, m.Vm, m.DomainName, m.SourceHost, m.DestinationHost, m.MemoryKiB))
            .ToListAsync(cancellationToken);
        var hosts = await inventory.All(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var id in _decided.Where(d => now - d.Value.At > TimeSpan.FromSeconds(30) || queued.All(q => q.CorrelationId != d.Key)).Select(d => d.Key).ToList())
            _decided.Remove(id);
        active.AddRange(_decided.Values.Select(d => d.Admitted).OfType<ActiveMigration>());

        foreach (var q in queued.Where(q => !_decided.ContainsKey(q.CorrelationId) && !(q.RetryAt > now)))
        {
            using var activity = DroverActivity.Continue("admission", q.TraceParent);
            switch (AdmissionPolicy.Decide(q, active, hosts, options.Value))
            {
                case AdmissionDecision.Admit a:
                    long memory = hosts.First(h => h.Name == q.SourceHost).Domains.FirstOrDefault(d => d.Name == q.Vm)?.MemoryKiB ?? 0;
                    var admitted = new ActiveMigration(q.CorrelationId, q.Vm, q.DomainName, q.SourceHost, a.DestinationHost, memory);
                    active.Add(admitted);
                    _decided[q.CorrelationId] = (admitted, now);
                    LogAdmitted(q.CorrelationId, q.Vm, q.SourceHost, a.DestinationHost);
                    await bus.PublishWithin(new AdmitMigration
                    {
                        MigrationId = q.CorrelationId, DestinationHost = a.DestinationHost, SourceMigrationUri = a.SourceMigrationUri,
                        DestinationMigrationUri = a.DestinationMigrationUri, PlacementReason = a.PlacementReason,
                    }, DeadlineSweeper.PublishTimeout, cancellationToken: cancellationToken);
                    break;
                case AdmissionDecision.Refuse r:
                    _decided[q.CorrelationId] = (null, now);
                    await bus.PublishWithin(new RefuseMigration { MigrationId = q.CorrelationId, Field = r.Field, Reason = r.Reason }, DeadlineSweeper.PublishTimeout, cancellationToken: cancellationToken);
                    break;
                case AdmissionDecision.Wait w when w.Reason != q.QueueReason:
                    await bus.PublishWithin(new MigrationQueued { MigrationId = q.CorrelationId, Reason = w.Reason }, DeadlineSweeper.PublishTimeout, cancellationToken: cancellationToken);
                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted migration {MigrationId} of {Vm}: {Source} -> {Destination}")]
    private partial void LogAdmitted(Guid migrationId, string vm, string source, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admission pass failed: {Reason}")]
    private partial void LogPassFailed(string reason);
}
