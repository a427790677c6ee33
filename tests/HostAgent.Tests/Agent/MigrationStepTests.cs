using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Libvirt;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>The agents move the lab guest through every step over the real bus; libvirt on both hosts is the judge.</summary>
[Collection(AgentCollection.Name)]
public sealed class MigrationStepTests(AgentFixture lab) : IAsyncLifetime
{
    private readonly string _vm = "step-" + Guid.NewGuid().ToString("N")[..8];
    private readonly AgentSteps _steps = new(lab);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Live_migration_keeps_the_guest_counting_and_leaves_the_chapter_defaults()
    {
        await Lab.CreateGuest(lab.A, _vm);

        var transferred = await _steps.Migrate(_vm, lab.A, lab.B, MigrationKind.Live);

        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
        Assert.False(lab.B.IsPersistent(_vm));                         // transient on the destination
        Assert.Equal(DomainRunState.Shutoff, lab.A.StateOf(_vm));          // still defined on the source
        Assert.False(transferred!.SourceStillActive);
        Assert.True(transferred.DataTransferredBytes > 0);
        Assert.Contains(lab.Bus.Events.All<MemoryTransferProgressed>(), p => p.MigrationId != Guid.Empty && p.Host == lab.A.Name);
    }

    [Fact]
    public async Task Non_live_migration_suspends_moves_and_resumes_the_guest()
    {
        await Lab.CreateGuest(lab.A, _vm);

        var transferred = await _steps.Migrate(_vm, lab.A, lab.B, MigrationKind.NonLive, persistent: true);

        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
        Assert.True(transferred!.DowntimeMs >= transferred.DurationMs, "a non-live VM is paused for the whole transfer");
        Assert.True(lab.B.IsPersistent(_vm));
        Assert.Equal(DomainRunState.Shutoff, lab.A.StateOf(_vm));
    }

    [Fact]
    public async Task Persistent_and_undefine_source_leave_exactly_one_definition_on_the_destination()
    {
        await Lab.CreateGuest(lab.A, _vm);

        await _steps.Migrate(_vm, lab.A, lab.B, MigrationKind.Live, persistent: true, undefineSource: true);

        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        Assert.True(lab.B.IsPersistent(_vm));
        Assert.Null(lab.A.StateOf(_vm));
    }

    [Fact]
    public async Task Offline_migration_moves_only_the_definition_of_a_shut_off_guest()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true, stopped: true);

        var transferred = await _steps.Migrate(_vm, lab.A, lab.B, MigrationKind.Offline, undefineSource: true);

        Assert.Equal(DomainRunState.Shutoff, lab.B.StateOf(_vm));
        Assert.True(lab.B.IsPersistent(_vm));
        Assert.Null(lab.A.StateOf(_vm));
        Assert.Equal(0, transferred!.DowntimeMs);
    }

    [Fact]
    public async Task A_redelivered_transfer_does_not_start_a_second_migration()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var (id, _) = await _steps.ValidateAndDefine(_vm, lab.A, lab.B, MigrationKind.Live);
        var transfer = AgentSteps.TransferFor(id, _vm, MigrationKind.Live, lab.B, new MigrationTuning { BandwidthMiBps = 16 });

        await lab.Bus.SendToAgent(lab.A.Name, transfer);
        await lab.Bus.Events.WaitFor<MemoryTransferProgressed>(p => p.MigrationId == id);
        await lab.Bus.SendToAgent(lab.A.Name, transfer);                    // while the first runs
        await lab.Bus.Events.WaitFor<MemoryTransferred>(t => t.MigrationId == id);
        await _steps.Expect<MemoryTransferred>(lab.A, transfer, id);         // and once more after it finished

        Assert.Empty(lab.Bus.Events.All<StepFailed>(f => f.MigrationId == id));
        await _steps.Expect<CutOverCompleted>(lab.B, new CutOver { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm, Kind = MigrationKind.Live }, id);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }

    [Fact]
    public async Task Aborting_the_transfer_leaves_the_guest_running_on_the_source()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var (id, _) = await _steps.ValidateAndDefine(_vm, lab.A, lab.B, MigrationKind.Live);

        await lab.Bus.SendToAgent(lab.A.Name, AgentSteps.TransferFor(id, _vm, MigrationKind.Live, lab.B, new MigrationTuning { BandwidthMiBps = 4 }));
        await lab.Bus.Events.WaitFor<MemoryTransferProgressed>(p => p.MigrationId == id);
        await lab.Bus.SendToAgent(lab.A.Name, new AbortTransfer { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm });

        var failed = await lab.Bus.Events.WaitFor<StepFailed>(f => f.MigrationId == id && f.Step == nameof(TransferMemory));
        Assert.Equal(AgentFailureCode.Aborted, failed.Code);
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        await _steps.Expect<DomainUndefined>(lab.B, new UndefineDomain { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm }, id);
        Assert.Null(lab.B.StateOf(_vm));
    }

    [Fact]
    public async Task A_running_guest_is_moved_back_to_the_source_and_the_destination_definition_removed()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var (id, _) = await _steps.ValidateAndDefine(_vm, lab.A, lab.B, MigrationKind.Live);
        await _steps.Expect<MemoryTransferred>(lab.A, AgentSteps.TransferFor(id, _vm, MigrationKind.Live, lab.B), id);

        await _steps.Expect<MigratedBack>(lab.B, new MigrateBack { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm, SourceMigrationUri = lab.A.MigrationUri }, id);
        await _steps.Expect<DomainResumed>(lab.A, new ResumeDomain { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm }, id);
        await _steps.Expect<DomainUndefined>(lab.B, new UndefineDomain { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm }, id);

        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
        await SerialCounter.AssertContinues(lab.B, lab.A, _vm);
    }

    [Fact]
    public async Task A_guest_that_arrived_paused_is_not_moved_back_because_qemu_would_lose_it()
    {
        await Lab.CreateGuest(lab.A, _vm);
        using (var a = lab.A.Connect())
        using (var domain = a.FindDomain(_vm)!)
            domain.Suspend();                                           // its user paused it: it travels paused
        var (id, _) = await _steps.ValidateAndDefine(_vm, lab.A, lab.B, MigrationKind.Live);
        await _steps.Expect<MemoryTransferred>(lab.A, AgentSteps.TransferFor(id, _vm, MigrationKind.Live, lab.B), id);
        Assert.Equal(DomainRunState.Paused, lab.B.StateOf(_vm));
        await _steps.Expect<CutOverCompleted>(lab.B, new CutOver { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm, Kind = MigrationKind.Live, WasRunning = false }, id);

        var refused = await _steps.ExpectFailure(lab.B, new MigrateBack { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm, SourceMigrationUri = lab.A.MigrationUri }, id);

        Assert.Equal(AgentFailureCode.WrongDomainState, refused.Code);
        Assert.Contains("stays here, paused", refused.Reason);
        Assert.Equal(DomainRunState.Paused, lab.B.StateOf(_vm));
        Assert.False(lab.A.StateOf(_vm)?.IsActive() ?? false);
    }

    [Fact]
    public async Task A_transfer_redelivered_after_the_move_reports_the_same_outcome_and_moves_nothing_again()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var (id, _) = await _steps.ValidateAndDefine(_vm, lab.A, lab.B, MigrationKind.Live);
        var transfer = AgentSteps.TransferFor(id, _vm, MigrationKind.Live, lab.B);
        var first = await _steps.Expect<MemoryTransferred>(lab.A, transfer, id);

        await lab.Bus.SendToAgent(lab.A.Name, transfer);   // the broker redelivers what was not acknowledged

        var again = await Eventually.Get(() => lab.Bus.Events.All<MemoryTransferred>(t => t.MigrationId == id).Skip(1).FirstOrDefault(),
            TimeSpan.FromSeconds(30), "the transfer's outcome reported again");
        Assert.Equivalent(first, again, strict: true);   // field by field: a record's list compares by reference
        Assert.Empty(lab.Bus.Events.All<StepFailed>(f => f.MigrationId == id));
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
    }
}
