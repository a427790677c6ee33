using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>The agent holds no state libvirt cannot give back: killed mid-transfer, its successor finishes the job.</summary>
[Collection(AgentCollection.Name)]
public sealed class AgentRestartTests(AgentFixture lab) : IAsyncLifetime
{
    private readonly string _vm = "restart-" + Guid.NewGuid().ToString("N")[..8];
    private readonly AgentSteps _steps = new(lab);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (lab.Agents[lab.A.Name].HasExited) await lab.StartAgent(lab.A);
        Lab.Remove(_vm, lab.Hosts);
    }

    [Fact]
    public async Task A_source_agent_killed_during_the_transfer_is_replaced_and_the_guest_runs_on_exactly_one_host()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var (id, _) = await _steps.ValidateAndDefine(_vm, lab.A, lab.B, MigrationKind.Live);
        await lab.Bus.SendToAgent(lab.A.Name, AgentSteps.TransferFor(id, _vm, MigrationKind.Live, lab.B, new MigrationTuning { BandwidthMiBps = 8 }));
        await lab.Bus.Events.WaitFor<MemoryTransferProgressed>(p => p.MigrationId == id);

        lab.Agents[lab.A.Name].Kill();
        await lab.StartAgent(lab.A);   // RabbitMQ redelivers the unacknowledged TransferMemory to it

        var outcome = await Eventually.Get(
            () => lab.Bus.Events.All<object>().FirstOrDefault(e => e is MemoryTransferred t && t.MigrationId == id || e is StepFailed f && f.MigrationId == id),
            TimeSpan.FromSeconds(120), "the transfer's outcome after the restart");
        if (outcome is MemoryTransferred)
        {
            await _steps.Expect<CutOverCompleted>(lab.B, new CutOver { Ticket = Tickets.Valid(), MigrationId = id, DomainName = _vm, Kind = MigrationKind.Live }, id);
            Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
            await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
        }
        else
        {
            Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        }
    }
}
