using Drover.Api;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Persistence;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Rebalancing;

/// <summary>
/// Once a fleet job has finished and every host that is up has reported since, measures the spread from those heartbeats
/// (the planner's own measure, on the fleet as it now is) and tells the job, which shows it beside the planned spread.
/// Two coordinators may both measure a job: the later figure wins, either is true.
/// </summary>
public sealed partial class FleetSpreadRecorder(
    IDbContextFactory<CoordinatorDbContext> dbFactory, HostInventory inventory, IBus bus, IOptions<RebalanceOptions> options,
    TimeProvider clock, ILogger<FleetSpreadRecorder> logger) : BackgroundService
{
    /// <summary>How often finished jobs are looked for.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>A heartbeat counts as sent after the moves when it arrived this long after the job ended.</summary>
    public static readonly TimeSpan HeartbeatLag = TimeSpan.FromSeconds(1);

    private static readonly string[] Measured = ["Completed", "PartlyFailed", "Cancelled"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Pass(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)   // the database or broker away: the next tick tries again
            {
                LogPassFailed(e.Message);
            }
        }
    }

    private async Task Pass(CancellationToken cancellationToken)
    {
        List<RebalanceState> finished;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            finished = await db.Rebalances.AsNoTracking()
                .Where(r => r.SpreadMeasured == null && r.CompletedAt != null && Measured.Contains(r.CurrentState))
                .Select(r => new RebalanceState { CorrelationId = r.CorrelationId, CompletedAt = r.CompletedAt, Strategy = r.Strategy, DrainHost = r.DrainHost })
                .ToListAsync(cancellationToken);
        }
        if (finished.Count == 0) return;
        var hosts = await inventory.All(cancellationToken);
        foreach (var job in finished.Where(j => hosts.Where(h => h.Status == HostStatus.Up).All(h => h.LastHeartbeatAt > j.CompletedAt + HeartbeatLag)))
        {
            double spread = PlanRebalanceConsumer.Spread(hosts, job.Strategy, job.DrainHost, options.Value);
            LogMeasured(job.CorrelationId, spread);
            await bus.PublishWithin(new RebalanceSpreadMeasured { RebalanceId = job.CorrelationId, SpreadPoints = spread, MeasuredAt = clock.GetUtcNow().UtcDateTime },
                TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet job {RebalanceId}: spread measured after its moves {Spread} pp")]
    private partial void LogMeasured(Guid rebalanceId, double spread);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Measuring finished fleet jobs failed: {Reason}")]
    private partial void LogPassFailed(string reason);
}
