using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>
/// The chapter's VM that dirties memory faster than it can be copied (the lab's "hot" guest rewrites all 64 MiB it
/// uses about every 10 ms; the transfer is capped at 32 MiB/s and the switch at 100 ms): the source agent detects the
/// stall and climbs the convergence ladder, and the saga records every step.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed class ConvergenceTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "hot-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Lab.CreateGuest(lab.A, _vm, hot: true);

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    private MigrateVm StalledRequest() =>
        MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 32, MaxDowntimeMs = 100 };

    [Fact]
    public async Task A_live_migration_that_does_not_converge_finishes_non_live_when_the_request_allows_it()
    {
        var request = StalledRequest() with { FallBackToNonLiveAllowed = true };

        var completed = Assert.IsType<MigrationCompleted>(await _driver.Run(request, TimeSpan.FromMinutes(3)));

        var saga = await lab.Coordinator.Get<MigrationView>($"/api/migrations/{request.MigrationId}");
        var step = Assert.Single(saga!.Escalations);
        Assert.Equal("SuspendForNonLive", step.Action);
        Assert.Contains("% below the", step.Reason);
        Assert.True(step.Iteration >= 2 + 3, $"escalated at iteration {step.Iteration}, before a stall of 3 iterations");
        Assert.True(completed.DowntimeMs > 100, "suspended for the rest of the copy, the pause is longer than the live ceiling");
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }

    [Fact]
    public async Task A_live_migration_that_does_not_converge_switches_to_post_copy_when_allowed()
    {
        var request = StalledRequest() with { PostCopyAllowed = true, FallBackToNonLiveAllowed = true };

        Assert.IsType<MigrationCompleted>(await _driver.Run(request, TimeSpan.FromMinutes(3)));

        var saga = await lab.Coordinator.Get<MigrationView>($"/api/migrations/{request.MigrationId}");
        Assert.Equal(["StartPostCopy"], saga!.Escalations.Select(e => e.Action));   // the first rung above the ceiling
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }

    [Fact]
    public async Task A_live_migration_forecast_not_to_converge_is_aborted_and_rolled_back_when_nothing_else_is_allowed()
    {
        // The pre-flight says so first (the dry run starts nothing), then the real migration bears it out.
        await lab.RunningInInventory(lab.A, _vm);
        var (code, output, error) = await DroverCli.Run(lab.Coordinator, "migrate", _vm, "--to", lab.B.Name, "--bandwidth", "32", "--max-downtime", "100", "--dry-run");
        Assert.True(code == 3, $"exit {code}: {error}{output}");
        Assert.Contains("will not converge live at 32 MiB/s", output);
        Assert.Contains("allow post-copy", output);
        Assert.Empty(await lab.Coordinator.Get<List<MigrationView>>($"/api/migrations?vm={_vm}"));
        var placement = await lab.Coordinator.Get<PreflightView>($"/api/vms/{_vm}/placement?bandwidthMiBps=32&maxDowntimeMs=100");
        Assert.Equal("WillNotConverge", placement.Convergence.Verdict);

        var request = StalledRequest();

        var rolledBack = Assert.IsType<MigrationRolledBack>(await _driver.Run(request, TimeSpan.FromMinutes(3)));

        Assert.Contains("did not converge", rolledBack.Reason);
        var saga = await lab.Coordinator.Get<MigrationView>($"/api/migrations/{request.MigrationId}");
        Assert.Equal(["Abort"], saga!.Escalations.Select(e => e.Action));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
        await SerialCounter.AssertKeepsCounting(lab.A, _vm);
    }

    [Fact]
    public async Task A_stalled_live_migration_forced_to_complete_pauses_the_vm_and_completes_instead_of_aborting()
    {
        var request = StalledRequest();   // nothing allowed: left alone, the ladder would abort it
        await _driver.StartTransfer(request);

        var (code, output, error) = await DroverCli.Run(lab.Coordinator, "force-complete", _vm);
        Assert.True(code == 0, $"exit {code}: {error}{output}");

        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        var forced = Assert.Single(done.Escalations);
        Assert.Equal("SuspendForNonLive", forced.Action);
        Assert.Contains("forced to complete by an operator", forced.Reason);
        Assert.Contains("(admin)", forced.Reason);   // who asked: the identity of the key the CLI used (Api:Key)
        Assert.True(done.DowntimeMs > 100, "paused for the rest of the copy, the pause is longer than the live ceiling");
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }
}
