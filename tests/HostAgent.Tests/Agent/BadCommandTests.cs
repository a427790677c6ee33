using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Libvirt;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>Bad commands get a failure with a specific code and reason, and both hosts stay as they were.</summary>
[Collection(AgentCollection.Name)]
public sealed class BadCommandTests(AgentFixture lab) : IAsyncLifetime
{
    private readonly string _vm = "bad-" + Guid.NewGuid().ToString("N")[..8];
    private readonly AgentSteps _steps = new(lab);
    private readonly Guid _id = Guid.NewGuid();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_command_past_its_expiry_is_refused_without_touching_libvirt()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var transfer = AgentSteps.TransferFor(_id, _vm, MigrationKind.Live, lab.B) with { Ticket = Tickets.Expired("TransferringMemory") };

        await lab.Bus.SendToAgent(lab.A.Name, transfer);

        var expired = await lab.Bus.Events.WaitFor<StepExpired>(e => e.MigrationId == _id, TimeSpan.FromSeconds(60));
        Assert.Equal(nameof(TransferMemory), expired.Command);
        Assert.Equal(transfer.Ticket, expired.Ticket);
        Assert.Empty(lab.Bus.Events.All<MemoryTransferProgressed>(p => p.MigrationId == _id));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
        await SerialCounter.AssertKeepsCounting(lab.A, _vm);
    }

    [Fact]
    public async Task An_unknown_domain_is_reported_as_not_found()
    {
        var failed = await _steps.ExpectFailure(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = "no-such-vm", Kind = MigrationKind.Live }, _id);

        Assert.Equal(AgentFailureCode.DomainNotFound, failed.Code);
        Assert.Contains("no-such-vm", failed.Reason);
    }

    [Theory]
    [InlineData("<evil/>")]
    [InlineData("web'01")]
    [InlineData("a&b")]
    [InlineData("")]
    public async Task A_name_with_xml_metacharacters_or_none_at_all_is_refused_before_libvirt(string name)
    {
        var failed = await _steps.ExpectFailure(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = name, Kind = MigrationKind.Live }, _id);

        Assert.Equal(AgentFailureCode.InvalidRequest, failed.Code);
        Assert.Contains("not a valid domain name", failed.Reason);
    }

    [Fact]
    public async Task Offline_kind_for_a_running_guest_is_refused()
    {
        await Lab.CreateGuest(lab.A, _vm);

        var failed = await _steps.ExpectFailure(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = _vm, Kind = MigrationKind.Offline }, _id);

        Assert.Equal(AgentFailureCode.WrongDomainState, failed.Code);
        Assert.Contains("offline migration needs it shut off", failed.Reason);
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
    }

    [Theory]
    [InlineData(nameof(ValidateDestination))]   // a pre-flight's question
    [InlineData(nameof(DefineDomain))]          // a migration's definition, which checks first
    public async Task Live_kind_with_a_disk_the_destination_cannot_see_is_refused_by_the_destination_before_it_defines_anything(string command)
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true);
        var source = await _steps.Expect<SourceValidated>(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = _vm, Kind = MigrationKind.Live }, _id);
        Assert.Single(source.Probes);

        var failed = await _steps.ExpectFailure(lab.B, command == nameof(DefineDomain) ? AgentSteps.DefineFor(source) : AgentSteps.ValidateDestinationFor(source), _id);

        Assert.Equal(AgentFailureCode.StorageNotShared, failed.Code);
        Assert.Equal(nameof(ValidateDestination), failed.Step);   // the checks refused it: the saga rejects instead of rolling back
        Assert.Contains(source.Probes[0].DiskPath, failed.Reason);
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
    }

    [Fact]
    public async Task A_definition_sent_again_once_made_is_reported_again_though_its_checks_would_now_refuse_it()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var source = await _steps.Expect<SourceValidated>(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = _vm, Kind = MigrationKind.Live }, _id);
        await _steps.Expect<DomainDefined>(lab.B, AgentSteps.DefineFor(source), _id);
        var tooLarge = DestinationRequirements.Of(source) with { MemoryKiB = long.MaxValue / 4 };

        // The same migration's command again (a lost answer): its definition is here, so it is re-reported, not refused and left behind.
        await _steps.Expect<DomainDefined>(lab.B, AgentSteps.DefineFor(source) with { Requirements = tooLarge }, _id);
        Assert.Equal(DomainRunState.Shutoff, lab.B.StateOf(_vm));

        // Another migration's is checked.
        var other = Guid.NewGuid();
        var refused = await _steps.ExpectFailure(lab.B, AgentSteps.DefineFor(source) with { MigrationId = other, Requirements = tooLarge }, other);
        Assert.Equal((AgentFailureCode.InsufficientResources, nameof(ValidateDestination)), (refused.Code, refused.Step));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
    }

    [Theory]
    [InlineData(MigrationKind.Live)]
    [InlineData(MigrationKind.NonLive)]   // libvirt paused it for the copy and resumes it when the copy fails
    public async Task An_unreachable_destination_fails_the_transfer_and_the_guest_keeps_running_on_the_source(MigrationKind kind)
    {
        await Lab.CreateGuest(lab.A, _vm);
        var failed = await _steps.ExpectFailure(lab.A, AgentSteps.TransferFor(_id, _vm, kind, Lab.UnreachablePeer), _id);

        Assert.Equal(AgentFailureCode.DestinationUnreachable, failed.Code);
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Equal(DomainRunState.Running, lab.A.StateOf(_vm));
        await SerialCounter.AssertKeepsCounting(lab.A, _vm);
    }

    [Fact]
    public async Task Defining_over_a_running_domain_of_the_same_name_is_refused()
    {
        await Lab.CreateGuest(lab.A, _vm);
        await Lab.CreateGuest(lab.B, _vm, localDisk: true);
        var source = await _steps.Expect<SourceValidated>(lab.A, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = _id, Domain = _vm, Kind = MigrationKind.Live }, _id);

        var conflict = await _steps.ExpectFailure(lab.B, AgentSteps.ValidateDestinationFor(source), _id);

        Assert.Equal(AgentFailureCode.NameOrUuidConflict, conflict.Code);
        Assert.Equal(DomainRunState.Running, lab.A.StateOf(_vm));
        Assert.Equal(DomainRunState.Running, lab.B.StateOf(_vm));
    }
}
