using System.Diagnostics;
using System.Diagnostics.Metrics;
using Drover.Api;
using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Observation;

/// <summary>
/// The coordinator's own meter. Exported for Prometheus at <c>/metrics</c> (names start with <c>drover_</c>, e.g.
/// <c>drover_migrations_total{outcome,kind}</c>) and by OTLP when telemetry is on. Counters and histograms are recorded
/// once a transition is committed (<see cref="Persistence.ICommitHooks"/>); the gauges (<see cref="FleetGauges"/>, same
/// meter) are sampled from the database, so that every coordinator reports the whole fleet.
/// </summary>
public sealed class DroverMetrics : IDisposable
{
    public const string MeterName = "Drover.Coordinator";

    private readonly Meter _meter;
    private readonly Counter<long> _requested, _finished, _escalations, _security;
    private readonly Histogram<double> _duration, _downtime;

    public DroverMetrics(IMeterFactory factory)
    {
        _meter = factory.Create(MeterName);
        _requested = _meter.CreateCounter<long>("drover.migrations.requested", description: "Migrations accepted, by kind");
        _finished = _meter.CreateCounter<long>("drover.migrations", description: "Migrations that reached a final state, by outcome and kind");
        _escalations = _meter.CreateCounter<long>("drover.migration.escalations", description: "Steps of the convergence ladder taken, by action");
        _security = _meter.CreateCounter<long>("drover.security.events", description: "Messages dropped because their sender had no right to send them, by message type");
        _duration = _meter.CreateHistogram<double>("drover.migration.duration", unit: "s", description: "From request to final state, by outcome and kind",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800] });
        _downtime = _meter.CreateHistogram<double>("drover.migration.downtime", unit: "ms", description: "The guest's pause at the switch, by kind",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] });
    }

    /// <summary>Records what entering <paramref name="state"/> means for the metrics, once the saga row is written.</summary>
    public void Entered(MigrationState s, string state)
    {
        string kind = s.Kind.ToString();
        if (state == nameof(MigrationStatus.Queued))
        {
            s.AfterCommit(() => _requested.Add(1, new KeyValuePair<string, object?>("kind", kind)));
            return;
        }
        if (!MigrationStatuses.IsFinal(state)) return;
        double seconds = ((s.CompletedAt ?? DateTime.UtcNow) - s.CreatedAt).TotalSeconds;
        long? downtime = state == nameof(MigrationStatus.Completed) ? s.DowntimeMs : null;
        var actions = s.Escalations.Select(e => e.Action).ToList();
        s.AfterCommit(() =>
        {
            var tags = new TagList { { "outcome", state }, { "kind", kind } };
            _finished.Add(1, tags);
            _duration.Record(seconds, tags);
            if (downtime is { } ms) _downtime.Record(ms, new KeyValuePair<string, object?>("kind", kind));
            foreach (var action in actions) _escalations.Add(1, new KeyValuePair<string, object?>("action", action));
        });
    }

    /// <summary>A message dropped because of who sent it (counted at once: nothing is committed).</summary>
    public void SecurityEvent(string messageType) => _security.Add(1, new KeyValuePair<string, object?>("message", messageType));

    public void Dispose() => _meter.Dispose();
}
