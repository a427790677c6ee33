using Drover.Coordinator.Persistence;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// The durable replacement for a message scheduler: every sweep interval, finds sagas whose step deadline has
/// passed and tells them (<see cref="StepOverdue"/>). Also recovers messages lost between a saga's commit and
/// its publish (there is no transactional outbox here): the step is re-sent at its deadline. With several coordinators,
/// one sweeps at a time (<see cref="CoordinatorLocks.DeadlineSweep"/>, held while its notices go out).
/// </summary>
public sealed partial class DeadlineSweeper(IDbContextFactory<CoordinatorDbContext> dbFactory, IBus bus, IOptions<SagaOptions> options, TimeProvider clock, ILogger<DeadlineSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Sweep(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)   // the database or broker away: log, try again next time
            {
                LogSweepFailed(e.Message);
            }
        }
    }

    /// <summary>How long a notice may take to publish before the pass is given up (and the next one tries again).</summary>
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);

    public async Task Sweep(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await CoordinatorLocks.TryTake(db, CoordinatorLocks.DeadlineSweep, cancellationToken)) return;   // another coordinator sweeps now
        var overdue = await db.Migrations.AsNoTracking()
            .Where(m => m.StepDeadline != null && m.StepDeadline < now)
            .Select(m => new { m.CorrelationId, m.StepDeadline, m.CurrentState, m.TraceParent })
            .ToListAsync(cancellationToken);
        foreach (var m in overdue) LogOverdue(m.CorrelationId, m.CurrentState);
        await bus.PublishEachWithin("step-overdue",
            overdue.Select(m => ((object)new StepOverdue { MigrationId = m.CorrelationId, Deadline = m.StepDeadline!.Value }, m.TraceParent)),
            PublishTimeout, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration {MigrationId}: {State} is past its deadline")]
    private partial void LogOverdue(Guid migrationId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline sweep failed: {Reason}")]
    private partial void LogSweepFailed(string reason);
}
