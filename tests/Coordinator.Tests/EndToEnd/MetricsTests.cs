using System.Globalization;
using System.Text.RegularExpressions;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>What Prometheus scrapes at /metrics: a real migration counted by outcome and kind, its duration and downtime in
/// the histograms, the fleet's gauges, and MassTransit's and the runtime's own meters beside them.</summary>
[Collection(SqliteCollection.Name)]
public sealed partial class MetricsTests(SqliteMigrationLab lab) : IDisposable
{
    private readonly string _vm = "metrics-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Lab.Remove(_vm, lab.Hosts);

    [Fact]
    public async Task A_completed_live_migration_is_counted_with_its_duration_and_downtime()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var before = Parse(await Scrape());

        var request = MigrationDriver.Request(_vm, lab.A, lab.B);
        await lab.Bus.Bus.Publish(request);
        var done = await new MigrationDriver(lab).Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");

        // Recorded once the saga row is written: the scrape that follows sees exactly one more.
        var after = await Eventually.Get(async () => Parse(await Scrape()) is var m && Value(m, "drover_migrations_total", "Completed") > Value(before, "drover_migrations_total", "Completed") ? m : null,
            TimeSpan.FromSeconds(10), "the migration counted");
        Assert.Equal(1, Value(after, "drover_migrations_total", "Completed") - Value(before, "drover_migrations_total", "Completed"));
        Assert.Equal(1, Value(after, "drover_migrations_requested_total", null) - Value(before, "drover_migrations_requested_total", null));
        Assert.Equal(1, Value(after, "drover_migration_duration_seconds_count", "Completed") - Value(before, "drover_migration_duration_seconds_count", "Completed"));
        Assert.Equal(1, Value(after, "drover_migration_downtime_milliseconds_count", null) - Value(before, "drover_migration_downtime_milliseconds_count", null));
        double downtime = Value(after, "drover_migration_downtime_milliseconds_sum", null) - Value(before, "drover_migration_downtime_milliseconds_sum", null);
        Assert.Equal((double)done.DowntimeMs!.Value, downtime, 0.5);

        // The gauges are the fleet's: every lab host Up, nothing left in flight for this VM's migration.
        await Eventually.True(() => Parse(Scrape().GetAwaiter().GetResult()) is var m && Value(m, "drover_hosts", null, "status=\"Up\"") >= lab.Hosts.Count,
            TimeSpan.FromSeconds(15), "drover_hosts{status=\"Up\"} counting the lab's hosts");
        Assert.Contains(after, s => s.Name.StartsWith("messaging_masstransit_", StringComparison.Ordinal) || s.Name.StartsWith("messaging_", StringComparison.Ordinal));
        Assert.Contains(after, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    private Task<string> Scrape() => lab.Coordinator.Http.GetStringAsync("/metrics");

    private sealed record Sample(string Name, string Labels, double Value);

    private static List<Sample> Parse(string text) => SampleLine().Matches(text)
        .Select(m => new Sample(m.Groups["name"].Value, m.Groups["labels"].Value, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))).ToList();

    /// <summary>The sum over the series of <paramref name="name"/> (live kind, and the outcome when given).</summary>
    private static double Value(List<Sample> samples, string name, string? outcome, string? label = null) => samples
        .Where(s => s.Name == name && (label is not null || s.Labels.Contains("kind=\"Live\"")) && (outcome is null || s.Labels.Contains($"outcome=\"{outcome}\""))
                    && (label is null || s.Labels.Contains(label)))
        .Sum(s => s.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)( \d+)?$", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
