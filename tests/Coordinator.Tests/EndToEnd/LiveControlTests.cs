using System.Net.Http.Json;
using Drover.Api;
using Drover.Contracts.Agent;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>An operator changes a running transfer: the change reaches libvirt's job on the source (the bandwidth the job
/// reports follows) and is recorded on the migration.</summary>
[Collection(SqliteCollection.Name)]
public sealed class LiveControlTests(SqliteMigrationLab lab) : IDisposable
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "tune-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Lab.Remove(_vm, lab.Hosts);

    [Fact]
    public async Task A_throttled_transfer_whose_bandwidth_is_raised_speeds_up_and_completes()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 1 };   // over a minute at this pace
        await _driver.StartTransfer(request);

        var (code, output, error) = await DroverCli.Run(lab.Coordinator, "tune", request.MigrationId.ToString()[..8], "--bandwidth", "24");
        Assert.True(code == 0, $"exit {code}: {error}{output}");

        var set = await lab.Bus.Events.WaitFor<MigrationEscalated>(e => e.MigrationId == request.MigrationId && e.Action == ConvergenceAction.SetBandwidth, TimeSpan.FromSeconds(20));
        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        Assert.Contains(done.Escalations, e => e.Action == "SetBandwidth" && e.Reason.Contains("24 MiB/s"));

        // libvirt's job reported the pace it was held to before the change and the new one after it.
        var progress = lab.Bus.Events.All<MemoryTransferProgressed>(p => p.MigrationId == request.MigrationId && p.BandwidthBytesPerSecond > 0).ToList();
        Assert.All(progress.Where(p => p.At < set.At), p => Assert.True(p.BandwidthBytesPerSecond <= 2L << 20, $"{p.BandwidthBytesPerSecond} B/s before the change"));
        Assert.Contains(progress.Where(p => p.At > set.At), p => p.BandwidthBytesPerSecond > 8L << 20);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }

    [Fact]
    public async Task Changes_to_a_transfer_that_is_not_running_or_out_of_range_are_refused_with_the_reason()
    {
        var unknown = await lab.Coordinator.Http.PatchAsJsonAsync($"/api/migrations/{Guid.NewGuid()}", new TransferAdjustmentRequest { BandwidthMiBps = 10 });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);

        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B);
        await lab.Bus.Bus.Publish(request);
        await _driver.Final(request.MigrationId);

        var finished = await lab.Coordinator.Http.PostAsJsonAsync($"/api/migrations/{request.MigrationId}/force-complete", new TransferAdjustmentRequest());
        Assert.Equal(System.Net.HttpStatusCode.Conflict, finished.StatusCode);
        Assert.Contains("only a running transfer can be changed", await finished.Content.ReadAsStringAsync());

        var empty = await lab.Coordinator.Http.PatchAsJsonAsync($"/api/migrations/{request.MigrationId}", new TransferAdjustmentRequest());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, empty.StatusCode);
        var negative = await lab.Coordinator.Http.PatchAsJsonAsync($"/api/migrations/{request.MigrationId}", new TransferAdjustmentRequest { BandwidthMiBps = -5 });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("BandwidthMiBps must be positive", await negative.Content.ReadAsStringAsync());
    }
}
