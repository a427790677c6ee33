using Drover.Api;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Persistence;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// Starts queued migrations by priority, then age, within the limits (<see cref="AdmissionPolicy"/>). Runs when a
/// migration is queued or finishes in this coordinator (<see cref="MigrationStateObserver"/>), and every sweep interval.
/// Exact with any number of coordinators: one pass at a time holds <see cref="CoordinatorLocks.Admission"/>, and each
/// admission is written on the saga's row (<see cref="MigrationState.AdmittedTo"/>) before its message goes out, so that
/// the next pass — in this process or another — counts it as running until the saga has left Queued, and sends it again if
/// the message was lost.
/// </summary>
public sealed partial class AdmissionController(
    IDbContextFactory<CoordinatorDbContext> dbFactory, HostInventory inventory, IBus bus, AdmissionSignal signal,
    IOptions<SagaOptions> options, TimeProvider clock, ILogger<AdmissionController> logger) : BackgroundService
{
    /// <summary>How long an admission may wait for its saga before it is sent again.</summary>
    public static readonly TimeSpan ResendAdmissionAfter = TimeSpan.FromSeconds(30);

    /// <summary>Passes are at least this far apart: under load every finished migration pokes admission, and one pass over
    /// the whole queue serves all the pokes that came meanwhile (measured with bench/control-plane.sh).</summary>
    public static readonly TimeSpan MinimumPassGap = TimeSpan.FromMilliseconds(200);

    /// <summary>A queued migration's reason is written again at most this often: in a long queue the host that blocks a placed
    /// migration changes at every pass, and writing each change cost more than the migrations (bench/control-plane.sh: four
    /// reason updates per migration).</summary>
    public static readonly TimeSpan ReasonRefresh = TimeSpan.FromSeconds(30);

    private const string QueuedState = nameof(MigrationStatus.Queued);

    // Refusals sent and not yet seen by their saga: not sent again by this process meanwhile (a duplicate would be harmless).
    private readonly Dictionary<Guid, DateTime> _refused = [];

    // When this process last wrote why a queued migration waits.
    private readonly Dictionary<Guid, DateTime> _reasonSaid = [];

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
            await Task.Delay(MinimumPassGap, clock, stoppingToken);
            await signal.WaitAsync(TimeSpan.FromTicks(Math.Max(0, (options.Value.SweepInterval - MinimumPassGap).Ticks)), stoppingToken);
        }
    }

    public async Task Pass(CancellationToken cancellationToken)
    {
        var messages = new List<(object Message, string? TraceParent)>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await CoordinatorLocks.TryTake(db, CoordinatorLocks.Admission, cancellationToken))
            {
                // Another coordinator decides now, perhaps from a read taken before what woke this one was written: try again
                // after the gap rather than wait for the sweep.
                signal.Poke();
                return;
            }
            await Decide(db, messages, cancellationToken);
            await CoordinatorLocks.Release(db, cancellationToken);
        }
        await bus.PublishEachWithin("admission", messages, DeadlineSweeper.PublishTimeout, cancellationToken);
    }

    private async Task Decide(CoordinatorDbContext db, List<(object Message, string? TraceParent)> messages, CancellationToken cancellationToken)
    {
        // Only what admission reads: the queue can be long, and its rows carry the domain XML and the history.
        var queued = await db.Migrations.AsNoTracking().Where(m => m.CurrentState == QueuedState)
            .OrderByDescending(m => m.Priority).ThenBy(m => m.CreatedAt)
            .Select(m => new MigrationState
            {
                CorrelationId = m.CorrelationId, Vm = m.Vm, DomainName = m.DomainName, SourceHost = m.SourceHost, DestinationHost = m.DestinationHost,
                Kind = m.Kind, CopyStorage = m.CopyStorage, UndefineSource = m.UndefineSource, Priority = m.Priority, CreatedAt = m.CreatedAt,
                FailedDestinations = m.FailedDestinations, AdmittedTo = m.AdmittedTo, AdmittedAt = m.AdmittedAt, RetryAt = m.RetryAt,
                QueueReason = m.QueueReason, TraceParent = m.TraceParent,
            })
            .ToListAsync(cancellationToken);
        if (queued.Count == 0) return;
        var hosts = await inventory.All(cancellationToken);
        // Running, or admitted and on its way to running: both hold their hosts.
        var fleet = new FleetLoad(hosts, await db.Active().ToListAsync(cancellationToken));
        var now = clock.GetUtcNow().UtcDateTime;
        var queuedIds = queued.Select(q => q.CorrelationId).ToHashSet();
        foreach (var id in _refused.Where(r => now - r.Value > ResendAdmissionAfter || !queuedIds.Contains(r.Key)).Select(r => r.Key).ToList())
            _refused.Remove(id);
        foreach (var id in _reasonSaid.Keys.Where(id => !queuedIds.Contains(id)).ToList())
            _reasonSaid.Remove(id);

        var waiting = new Dictionary<string, List<Guid>>();   // reason → the migrations newly waiting for it
        foreach (var q in queued.Where(q => !_refused.ContainsKey(q.CorrelationId) && !(q.RetryAt > now)))
        {
            if (q.AdmittedTo is { } admittedTo)
            {
                // Admitted already (here or by another coordinator); its saga has not moved on: the message was lost.
                if (now - q.AdmittedAt > ResendAdmissionAfter && fleet.Host(admittedTo) is { } host)
                {
                    await db.Migrations.Where(m => m.CorrelationId == q.CorrelationId && m.CurrentState == QueuedState)
                        .ExecuteUpdateAsync(u => u.SetProperty(m => m.AdmittedAt, now), cancellationToken);
                    messages.Add((Admit(q.CorrelationId, admittedTo, fleet.Host(q.SourceHost)!.MigrationUri, host.MigrationUri, null), q.TraceParent));
                }
                continue;
            }
            switch (AdmissionPolicy.Decide(q, fleet, options.Value))
            {
                case AdmissionDecision.Admit a:
                    int written = await db.Migrations
                        .Where(m => m.CorrelationId == q.CorrelationId && m.CurrentState == QueuedState && m.AdmittedTo == null)
                        .ExecuteUpdateAsync(u => u.SetProperty(m => m.AdmittedTo, a.DestinationHost).SetProperty(m => m.AdmittedAt, now).SetProperty(m => m.MemoryKiB, a.MemoryKiB), cancellationToken);
                    if (written == 0) continue;   // it left Queued meanwhile (cancelled)
                    fleet.Add(new ActiveMigration(q.CorrelationId, q.Vm, q.DomainName, q.SourceHost, a.DestinationHost, a.MemoryKiB));
                    LogAdmitted(q.CorrelationId, q.Vm, q.SourceHost, a.DestinationHost);
                    messages.Add((Admit(q.CorrelationId, a.DestinationHost, a.SourceMigrationUri, a.DestinationMigrationUri, a.PlacementReason), q.TraceParent));
                    break;
                case AdmissionDecision.Refuse r:
                    _refused[q.CorrelationId] = now;
                    messages.Add((new RefuseMigration { MigrationId = q.CorrelationId, Field = r.Field, Reason = r.Reason }, q.TraceParent));
                    break;
                case AdmissionDecision.Wait w when w.Reason != q.QueueReason
                                                   && (q.QueueReason is null || !_reasonSaid.TryGetValue(q.CorrelationId, out var said) || now - said > ReasonRefresh):
                    _reasonSaid[q.CorrelationId] = now;
                    (waiting.TryGetValue(w.Reason, out var ids) ? ids : waiting[w.Reason] = []).Add(q.CorrelationId);
                    break;
            }
        }
        await WriteReasons(db, waiting, cancellationToken);
    }

    /// <summary>Why each queued migration waits, written on its row (one statement per distinct reason) rather than told to
    /// its saga: nothing acts on the reason, and a saga turn per change cost more than the statement. Only rows still queued
    /// and not admitted (the saga owns the row once it moves on); the version is left alone, so no saga update conflicts.</summary>
    private static async Task WriteReasons(CoordinatorDbContext db, Dictionary<string, List<Guid>> waiting, CancellationToken cancellationToken)
    {
        foreach (var (reason, ids) in waiting)
            await db.Migrations.Where(m => ids.Contains(m.CorrelationId) && m.CurrentState == QueuedState && m.AdmittedTo == null)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.QueueReason, reason), cancellationToken);
    }

    private static AdmitMigration Admit(Guid id, string destination, string sourceUri, string destinationUri, string? placement) => new()
    {
        MigrationId = id, DestinationHost = destination, SourceMigrationUri = sourceUri, DestinationMigrationUri = destinationUri, PlacementReason = placement,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Admitted migration {MigrationId} of {Vm}: {Source} -> {Destination}")]
    private partial void LogAdmitted(Guid migrationId, string vm, string source, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admission pass failed: {Reason}")]
    private partial void LogPassFailed(string reason);
}
