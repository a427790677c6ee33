using Xunit.Abstractions;
using System.Net;
using System.Net.Http.Json;
using Drover.Api;
using Drover.Contracts.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Pre-flight on real guests: the forecast from the dirty rate the source agent measures is borne out by the real
/// migration: the quiet guest converges in about the predicted time (the hot one, forecast not to converge, really does
/// not: <see cref="ConvergenceTests"/>), and asking starts nothing.</summary>
[Collection(SqliteCollection.Name)]
public sealed class PreflightTests(SqliteMigrationLab lab, ITestOutputHelper output) : IDisposable
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "pre-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Lab.Remove(_vm, lab.Hosts);

    private async Task<PreflightView> Preflight(StartMigrationRequest request)
    {
        var response = await lab.Coordinator.Http.PostAsJsonAsync("/api/migrations/preflight", request, Json.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PreflightView>(Json.Options))!;
    }

    [Fact]
    public async Task A_quiet_guest_is_forecast_to_converge_and_does_within_twice_the_forecast_time()
    {
        await Lab.CreateGuest(lab.A, _vm);
        await _driver.Expect<MigrationCompleted>(MigrationDriver.Request(_vm, lab.A, lab.B));   // what its first pass sends, for the forecast
        await lab.RunningInInventory(lab.B, _vm);

        var asked = new StartMigrationRequest { Vm = _vm, DestinationHost = lab.A.Name, BandwidthMiBps = 32, MaxDowntimeMs = 500 };
        var view = await Preflight(asked);

        Assert.True(view.Possible, string.Join("; ", view.Problems));
        Assert.Equal(lab.B.Name, view.SourceHost);   // found from the inventory
        Assert.Equal(lab.A.Name, view.Destination);
        Assert.Empty(view.LocalDisks);
        Assert.Contains(view.Candidates, c => c.Host == lab.A.Name && c.Eligible && c.Reasons.Count == 0 && c.AgentChecked);
        Assert.True(view.Convergence.Verdict == "Converges", view.Convergence.Text);
        Assert.Matches(@"converges in about [\d.]+ s with downtime about \d+ ms at 32 MiB/s", view.Convergence.Text);
        Assert.Empty(await lab.Coordinator.Get<List<MigrationView>>($"/api/migrations?vm={_vm}&state=active"));   // nothing started
        // The agents validated it as a migration would (the source wrote probes beside the disk, the destination read
        // them) and the probes are gone again.
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Lab.SharedDisk(_vm))!, ".drover-probe-*"));

        var request = MigrationDriver.Request(_vm, lab.B, lab.A) with { BandwidthMiBps = 32, MaxDowntimeMs = 500 };
        await _driver.Expect<MigrationCompleted>(request);
        var done = await lab.Coordinator.Get<MigrationView>($"/api/migrations/{request.MigrationId}");
        double actual = done.TransferDurationMs!.Value / 1000.0, forecast = view.Convergence.EstimatedSeconds!.Value;
        output.WriteLine($"forecast: {view.Convergence.Text}; the transfer took {actual:0.0} s with {done.DowntimeMs} ms of downtime");
        Assert.True(actual >= forecast / 2 && actual <= forecast * 2, $"transfer took {actual:0.0} s; forecast {forecast:0.0} s ({view.Convergence.Text})");
        await SerialCounter.AssertContinues(lab.B, lab.A, _vm);
    }

    [Fact]
    public async Task A_pre_flight_of_a_vm_no_host_reports_is_a_400_naming_it()
    {
        var response = await lab.Coordinator.Http.GetAsync($"/api/vms/{_vm}/placement");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"VM '{_vm}' is on no host the agents report", await response.Content.ReadAsStringAsync());
    }
}
