using Drover.Contracts.Agent;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// What the saga does when a step passes its deadline (there is no message scheduler here: a sweeper finds
/// overdue rows): re-send the step once — agents are idempotent — then ask both agents for the facts and
/// continue or compensate from what libvirt says.
/// </summary>
public static class MigrationReconciliation
{
    public static async Task OnOverdue(BehaviorContext<MigrationState> c, MigrationStateMachine m, TimeProvider clock, SagaOptions o)
    {
        var s = c.Saga;
        if (s.StepAttempts == 0)
        {
            s.StepAttempts = 1;
            await c.SendStepCommands(clock, o);
            return;
        }
        string late = $"{s.CurrentState} got no answer in time";
        switch (s.CurrentState)
        {
            case "ValidatingStorage":
                s.FailureReason = late;
                await c.TransitionToState(m.Rejected);
                await c.Publish(Outcomes.Rejected(s, null));
                break;
            case "DefiningDomain":
                s.FailureReason = late;
                await c.TransitionToState(m.RollingBack);
                await c.SendStepCommands(clock, o);
                break;
            case "TransferringMemory" or "CuttingOver" or "MigratingBack":
                s.FailureReason = late;
                await c.TransitionToState(m.Reconciling);
                await c.SendStepCommands(clock, o);
                break;
            case "CleaningUp":
                s.Warning = late;
                await c.TransitionToState(m.Completed);
                await c.Publish(Outcomes.Completed(s, clock));
                break;
            case "RollingBack" or "Reconciling":
                s.FailureReason = $"{late}; the VM may need an operator (source: {s.SourceFacts ?? "unknown"}, destination: {s.DestinationFacts ?? "unknown"})";
                await c.TransitionToState(m.NeedsAttention);
                await c.Publish(Outcomes.NeedsAttention(s));
                break;
        }
    }

    public static void Record(MigrationState s, DomainFacts facts)
    {
        if (facts.Host == s.SourceHost)
        {
            s.SourceFacts = facts.State;
            s.SourceTransferInProgress = facts.TransferInProgress;
        }
        else if (facts.Host == s.DestinationHost)
        {
            s.DestinationFacts = facts.State;
        }
    }

    /// <summary>Both hosts answered: carry on where the VM actually is.</summary>
    public static async Task Decide(BehaviorContext<MigrationState> c, MigrationStateMachine m, TimeProvider clock, SagaOptions o)
    {
        var s = c.Saga;
        bool sourceActive = IsActive(s.SourceFacts), destinationActive = IsActive(s.DestinationFacts);
        if (s.SourceTransferInProgress)
        {
            await c.TransitionToState(m.TransferringMemory);   // the agent still runs it: wait for its outcome
            s.StepAttempts = 1;
            s.StepDeadline = clock.GetUtcNow().UtcDateTime + o.TransferSilenceTimeout;
        }
        else if (!sourceActive && s.DestinationFacts == "running")
        {
            await c.TransitionToState(m.CleaningUp);
            await c.SendStepCommands(clock, o);
        }
        else if (!sourceActive && s.DestinationFacts == "paused")
        {
            await c.TransitionToState(m.CuttingOver);
            await c.SendStepCommands(clock, o);
        }
        else if (sourceActive && !destinationActive)
        {
            await c.TransitionToState(m.RollingBack);
            await c.SendStepCommands(clock, o);
        }
        else
        {
            s.FailureReason = $"The VM is {s.SourceFacts} on {s.SourceHost} and {s.DestinationFacts} on {s.DestinationHost}: an operator must decide";
            await c.TransitionToState(m.NeedsAttention);
            await c.Publish(Outcomes.NeedsAttention(s));
        }
    }

    private static bool IsActive(string? state) => state is "running" or "paused" or "blocked" or "pmsuspended";
}
