using Drover.Api;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Persistence;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Observation;

/// <summary>The fleet's gauges (queued and in-flight migrations, hosts by status), read from the database every few
/// seconds rather than at each scrape, so that a scrape never waits on the database.</summary>
public sealed partial class FleetGauges : BackgroundService
{
    private readonly IDbContextFactory<CoordinatorDbContext> _dbFactory;
    private readonly HostInventory _inventory;
    private readonly ILogger<FleetGauges> _logger;

    public FleetGauges(IMeterFactory meters, IDbContextFactory<CoordinatorDbContext> dbFactory, HostInventory inventory, ILogger<FleetGauges> logger)
    {
        (_dbFactory, _inventory, _logger) = (dbFactory, inventory, logger);
        var meter = meters.Create(DroverMetrics.MeterName);
        meter.CreateObservableGauge("drover.migrations.queued", () => Queued, description: "Migrations waiting for admission");
        meter.CreateObservableGauge("drover.migrations.in_flight", () => InFlight, description: "Migrations admitted and not finished");
        meter.CreateObservableGauge("drover.hosts", () => Hosts.Select(h => new Measurement<long>(h.Value, new KeyValuePair<string, object?>("status", h.Key.ToString()))),
            description: "Hosts by status");
    }

    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    public long Queued { get; private set; }

    public long InFlight { get; private set; }

    public IReadOnlyDictionary<HostStatus, long> Hosts { get; private set; } = new Dictionary<HostStatus, long>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await Sample(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e.Message);   // the database away: the gauges keep their last values
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task Sample(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        string[] unfinished = MigrationStatuses.Unfinished;
        var states = await db.Migrations.AsNoTracking().Where(m => unfinished.Contains(m.CurrentState))
            .GroupBy(m => m.CurrentState).Select(g => new { State = g.Key, Count = g.LongCount() }).ToListAsync(ct);
        Queued = states.Where(s => s.State == nameof(MigrationStatus.Queued)).Sum(s => s.Count);
        InFlight = states.Where(s => s.State != nameof(MigrationStatus.Queued)).Sum(s => s.Count);
        var hosts = await _inventory.All(ct);
        Hosts = Enum.GetValues<HostStatus>().ToDictionary(s => s, s => (long)hosts.Count(h => h.Status == s));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: the fleet's gauges could not be read: {Reason}")]
    private partial void LogFailed(string reason);
}
