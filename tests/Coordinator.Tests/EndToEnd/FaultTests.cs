using Drover.Api;
using System.Net.Http.Json;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using Drover.HostAgent.Libvirt;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>
/// Ordinary faults at ordinary moments — the broker restarted, a libvirtd killed, an agent away past the deadlines, a cancel
/// as the transfer ends, a stale answer — and no human needed: every migration ends on its own, and libvirt on every host
/// shows the VM running exactly once and still counting.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FaultTests(FaultLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "fault-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Each test starts from a calm fleet: whatever an earlier fault did, the coordinator sees every host Up again.</summary>
    public Task InitializeAsync() =>
        Eventually.True(() => lab.Hosts.All(h => lab.StatusOf(h) == HostStatus.Up), TimeSpan.FromSeconds(90), "every host Up in the coordinator's inventory");

    public async Task DisposeAsync()
    {
        await Faults.StartLibvirtd(lab.A);   // whatever a failed test left stopped
        await Faults.StartLibvirtd(lab.B);
        foreach (var agent in lab.Agents.Where(a => a.HasExited || a.IsPaused).ToList()) await lab.RestartAgent(agent.Host);
        Lab.Remove(_vm, lab.Hosts);
    }

    [Fact]
    public async Task A_broker_restarted_during_the_memory_transfer_does_not_stop_the_migration_and_every_process_reconnects()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 8, MaxDowntimeMs = 1000 };
        await _driver.StartTransfer(request);

        await Faults.RestartBroker();
        var restarted = DateTime.UtcNow;

        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        Assert.Equal(1, done.Attempt);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);

        // Every agent publishes again — the idle one too — and the coordinator consumes again; nobody exited.
        await Eventually.True(() => lab.Coordinator.Get<List<HostView>>("/api/hosts").GetAwaiter().GetResult()
                .Count(h => lab.Hosts.Any(l => l.Name == h.Name) && h.Status == HostStatus.Up && h.LastHeartbeatAt > restarted) == lab.Hosts.Count,
            TimeSpan.FromSeconds(60), "heartbeats of every host after the broker's restart");
        Assert.All(lab.Agents, a => Assert.False(a.HasExited));
        Assert.False(lab.Coordinator.HasExited);
    }

    [Fact]
    public async Task A_broker_restarted_while_the_clean_up_waits_for_an_agent_does_not_stop_the_migration()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B);
        // The source's agent hangs the moment it reports the transfer: the source's clean-up command waits for it.
        var source = lab.Agents.First(a => a.Host == lab.A);
        lab.Bus.Events.OnArrival<MemoryTransferred>(t => t.MigrationId == request.MigrationId, _ => source.Pause());
        await lab.Bus.Bus.Publish(request);
        // Usually CleaningUp, waiting for the hung agent; if the saga asked for the facts instead, they wait for it too.
        await Eventually.Get(async () => await _driver.View(request.MigrationId) is { State: "CleaningUp" or "Reconciling" or "CuttingOver" or "Completed" } v ? v : null,
            TimeSpan.FromSeconds(90), "the transfer to be over, the saga waiting for the source's agent");

        await Faults.RestartBroker();
        lab.StopAgent(lab.A);
        await lab.StartAgent(lab.A);

        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        Assert.Null(done.Warning);   // both clean-ups ran: nothing left for an operator
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        Assert.False(lab.B.IsPersistent(_vm));   // the destination's clean-up ran: transient there, as asked
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task A_destination_libvirtd_killed_during_the_transfer_rolls_back_and_another_attempt_completes_when_allowed(int maxAttempts)
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 8, MaxDowntimeMs = 1000, MaxAttempts = maxAttempts };
        await _driver.StartTransfer(request);

        await Faults.KillLibvirtd(lab.B);
        await Eventually.Get(async () => await _driver.View(request.MigrationId) is { State: "RollingBack" or "Reconciling" } v ? v : null,
            TimeSpan.FromSeconds(60), "the transfer to fail");
        await WaitFor(TimeSpan.FromSeconds(5));   // libvirtd away for a while, not just a blip
        await Faults.StartLibvirtd(lab.B);

        var done = await _driver.Final(request.MigrationId);
        Assert.Equal("RolledBack", done.Attempts.Single(a => a.Number == 1).Outcome);
        if (maxAttempts > 1)
        {
            Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
            Assert.Equal(2, done.Attempt);
            Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
            await SerialCounter.AssertKeepsCounting(lab.B, _vm);
        }
        else
        {
            Assert.True(done.State == "RolledBack", $"{done.State}: {done.Reason}");
            Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
            await Eventually.True(() => lab.B.StateOf(_vm) is null, TimeSpan.FromSeconds(30), $"nothing of {_vm} left on {lab.B.Name}");
            await SerialCounter.AssertKeepsCounting(lab.A, _vm);
        }
    }

    [Fact]
    public async Task A_destination_libvirtd_killed_during_three_migrations_in_a_row_is_up_again_each_time_without_restarting_its_agent()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var agent = lab.Agents.First(a => a.Host == lab.B);
        for (int round = 1; round <= 3; round++)
        {
            var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 8, MaxDowntimeMs = 1000, MaxAttempts = 1 };
            await _driver.StartTransfer(request);

            await Faults.KillLibvirtd(lab.B);
            await Eventually.True(() => lab.StatusOf(lab.B) == HostStatus.Degraded, TimeSpan.FromSeconds(30), $"{lab.B.Name} Degraded (round {round})");
            await Faults.StartLibvirtd(lab.B);
            await Eventually.True(() => lab.StatusOf(lab.B) == HostStatus.Up, CoordinatorProcess.HostDownAfter, $"{lab.B.Name} Up within one heartbeat TTL of its libvirtd (round {round})");

            Assert.False(agent.HasExited, $"the agent of {lab.B.Name} exited in round {round}");
            Assert.Same(agent, lab.Agents.First(a => a.Host == lab.B));
            var done = await _driver.Final(request.MigrationId);
            Assert.True(done.State == "RolledBack", $"round {round}: {done.State}: {done.Reason}");
            Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
            await Eventually.True(() => lab.B.StateOf(_vm) is null, TimeSpan.FromSeconds(30), $"nothing of {_vm} left on {lab.B.Name} (round {round})");
        }

        var again = MigrationDriver.Request(_vm, lab.A, lab.B);
        await lab.Bus.Bus.Publish(again);
        var last = await _driver.Final(again.MigrationId);
        Assert.True(last.State == "Completed", $"{last.State}: {last.Reason}");
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }

    [Fact]
    public async Task A_source_agent_away_past_the_deadlines_never_moves_the_vm_for_a_step_the_saga_gave_up()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { MaxAttempts = 2 };
        // The source's agent hangs once it has validated, before TransferMemory can reach it: the destination's agent is
        // held until then (TransferMemory follows the destination's validation and definition), so the transfer command
        // waits in the queue of an agent that is away — however fast the saga goes on.
        var source = lab.Agents.First(a => a.Host == lab.A);
        var destination = lab.Agents.First(a => a.Host == lab.B);
        lab.Bus.Events.OnArrival<SourceValidated>(v => v.MigrationId == request.MigrationId, _ =>
        {
            source.Pause();
            destination.Continue();
        });
        destination.Pause();
        await lab.Bus.Bus.Publish(request);
        await Eventually.Get(async () => await _driver.View(request.MigrationId) is { State: "Reconciling" } v ? v : null,
            TimeSpan.FromSeconds(60), "the saga to give up waiting for the transfer");
        await WaitFor(FaultLab.StepTimeout * 2);   // past the command's expiry: its deadline plus the grace

        lab.StopAgent(lab.A);
        await lab.StartAgent(lab.A);

        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        Assert.Equal(2, done.Attempt);
        Assert.Contains("No word of the transfer", Assert.Single(done.Attempts, a => a.Number == 1).Reason);
        // The first attempt's TransferMemory was never carried out: no progress, no outcome came from it.
        Assert.DoesNotContain(lab.Bus.Events.All<MemoryTransferProgressed>(p => p.MigrationId == request.MigrationId), p => p.Ticket.Attempt == 1);
        Assert.DoesNotContain(lab.Bus.Events.All<MemoryTransferred>(p => p.MigrationId == request.MigrationId), p => p.Ticket.Attempt == 1);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }

    [Fact]
    public async Task A_cancel_sent_as_the_transfer_ends_completes_or_rolls_back_and_never_moves_a_healthy_vm_back()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 16 };
        // The cancel leaves the moment the last pass begins (or most of the memory is sent): it races the switch.
        Task? cancel = null;
        lab.Bus.Events.OnArrival<MemoryTransferProgressed>(p => p.MigrationId == request.MigrationId && (p.Iteration >= 2 || p.DataProcessedBytes >= 56 << 20),
            _ => cancel = lab.Bus.Bus.Publish(new CancelMigration { MigrationId = request.MigrationId }));
        await lab.Bus.Bus.Publish(request);
        await Eventually.True(() => cancel is not null, TimeSpan.FromSeconds(60), "the end of the transfer");
        await cancel!;

        var done = await _driver.Final(request.MigrationId);
        Assert.Contains(done.State, new[] { "Completed", "Cancelled" });
        var host = done.State == "Completed" ? lab.B : lab.A;
        Invariants.RunsOnlyOn(host, _vm, lab.Hosts);
        await SerialCounter.AssertKeepsCounting(host, _vm);
        Assert.DoesNotContain("MigratingBack", _driver.States(request.MigrationId));
    }

    [Fact]
    public async Task A_stale_step_failure_published_by_hand_is_recorded_and_ignored()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 8 };
        await _driver.StartTransfer(request);

        var stale = new StepFailed
        {
            MigrationId = request.MigrationId, Host = lab.B.Name, Step = nameof(DefineDomain), Code = AgentFailureCode.HypervisorError, Reason = "an old failure",
            Ticket = new StepTicket { Step = "DefiningDomain", Attempt = 1, Sequence = 1, NotAfter = DateTimeOffset.UtcNow },
        };
        // Sent as the destination's agent would: the sender is right, the ticket is old.
        await using (var asDestination = await TestBus.Publisher(Names.AgentUser(lab.B.Name)))
            await asDestination.Bus.Publish(stale);

        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        var ignored = Assert.Single(done.IgnoredEvents, e => e.Event == nameof(StepFailed));
        Assert.Equal(lab.B.Name, ignored.Host);
        Assert.Contains("DefiningDomain", ignored.Ticket);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
    }

    [Fact]
    public async Task A_raw_request_with_the_kind_as_a_name_is_read_and_one_with_an_unknown_kind_is_rejected_with_the_field()
    {
        await Lab.CreateGuest(lab.A, _vm);
        Guid byName = Guid.NewGuid(), unknown = Guid.NewGuid();

        await PublishRaw(byName, "Live");
        await PublishRaw(unknown, "sideways");

        var rejected = await lab.Bus.Events.WaitFor<MigrationRejected>(r => r.MigrationId == unknown, TimeSpan.FromSeconds(60));
        Assert.Equal("kind", rejected.Field);
        Assert.Contains("field kind", rejected.Reason);
        var view = await _driver.Final(unknown);
        Assert.Equal("Rejected", view.State);
        var done = await _driver.Final(byName);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        Assert.Equal(MigrationKind.Live, done.Kind);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
    }

    [Fact]
    public async Task A_host_whose_libvirtd_stopped_is_degraded_and_refused_then_up_and_used_again_without_restarting_its_agent()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var agent = lab.Agents.First(a => a.Host == lab.B);

        await Faults.KillLibvirtd(lab.B);
        await Eventually.True(() => lab.StatusOf(lab.B) == HostStatus.Degraded, TimeSpan.FromSeconds(15), $"{lab.B.Name} to be Degraded");
        var refused = await _driver.Expect<MigrationRejected>(MigrationDriver.Request(_vm, lab.A, lab.B));
        Assert.Contains($"Host '{lab.B.Name}' is degraded", refused.Reason);
        Assert.False(agent.HasExited);

        await Faults.StartLibvirtd(lab.B);
        await Eventually.True(() => lab.StatusOf(lab.B) == HostStatus.Up, TimeSpan.FromSeconds(15), $"{lab.B.Name} to be Up again");
        await _driver.Expect<MigrationCompleted>(MigrationDriver.Request(_vm, lab.A, lab.B));

        Assert.False(agent.HasExited);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }

    /// <summary>Publishes a MigrateVm through the RabbitMQ management API, as a service in another language would.</summary>
    private async Task PublishRaw(Guid id, string kind)
    {
        var envelope = new
        {
            messageId = Guid.NewGuid(),
            messageType = new[] { "urn:message:Drover.Contracts.Migrations:MigrateVm" },
            message = new { migrationId = id, vm = _vm, sourceHost = lab.A.Name, destinationHost = lab.B.Name, kind, maxAttempts = 1 },
        };
        using var http = Broker.Management();
        var response = await http.PostAsJsonAsync("/api/exchanges/%2F/Drover.Contracts.Migrations:MigrateVm/publish", new
        {
            properties = new { content_type = "application/vnd.masstransit+json", delivery_mode = 2 },
            routing_key = "",
            payload = System.Text.Json.JsonSerializer.Serialize(envelope),
            payload_encoding = "string",
        });
        response.EnsureSuccessStatusCode();
        Assert.Contains("\"routed\":true", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A fault that lasts a while (a libvirtd down for seconds): the test holds it for that long, on purpose.</summary>
    private static Task WaitFor(TimeSpan duration) => Task.Delay(duration);
}
