using Drover.Api;
using Drover.Contracts.Agent;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>How the migration saga runs a step: a new ticket, its deadline and commands; sending again, now or after a backoff; asking for the facts. No I/O but sends.</summary>
public static class MigrationStepBehaviors
{
    /// <summary>Starts the current state's step: a new sequence (answers to earlier steps become stale), its deadline, its commands.</summary>
    public static EventActivityBinder<MigrationState, T> StartStep<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock, SagaOptions options) where T : class =>
        b.ThenAsync(c =>
        {
            var s = c.Saga;
            s.StepSequence++;
            if (s.Is(MigrationStatus.TransferringMemory)) s.TransferSequence = s.StepSequence;
            s.StepResends = 0;
            s.StepStartedAt = clock.GetUtcNow().UtcDateTime;
            return c.SendStepCommands(clock, options);
        });

    /// <summary>Sends the current step's commands again, with the same sequence: an answer to either sending counts.</summary>
    public static EventActivityBinder<MigrationState, T> ResendStep<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock, SagaOptions options) where T : class =>
        b.ThenAsync(c =>
        {
            c.Saga.StepResends++;
            return c.SendStepCommands(clock, options);
        });

    /// <summary>A host could not be reached: the step's commands go out again when the backoff has passed (the sweeper's notice).</summary>
    public static EventActivityBinder<MigrationState, T> ResendLater<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock, SagaOptions options) where T : class =>
        b.Then(c => c.Saga.StepDeadline = clock.GetUtcNow().UtcDateTime + Backoff.Step(c.Saga.StepResends, options));

    private static async Task SendStepCommands(this BehaviorContext<MigrationState> c, TimeProvider clock, SagaOptions options)
    {
        var s = c.Saga;
        var now = clock.GetUtcNow();
        s.StepDeadline = now.UtcDateTime + StepCommands.Timeout(s, options);
        var ticket = StepCommands.Ticket(s, options);
        foreach (var (host, command) in StepCommands.For(s, ticket))
            await c.SendToAgent(host, command, ticket, now);
    }

    private static async Task SendToAgent(this BehaviorContext<MigrationState> c, string host, object command, StepTicket ticket, DateTimeOffset now)
    {
        var endpoint = await c.GetSendEndpoint(StepCommands.AgentQueue(host));
        // The broker drops a command nobody took before its expiry; the agent refuses one that reaches it late anyway.
        await endpoint.Send(command, x => x.TimeToLive = ticket.NotAfter - now);
    }

    /// <summary>The transfer still runs on the source (facts): wait for its outcome, under the same step.</summary>
    public static EventActivityBinder<MigrationState, T> AwaitTransfer<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock, SagaOptions options) where T : class =>
        b.Then(c =>
        {
            var s = c.Saga;
            s.StepResends = 1;   // its progress and outcome carry the transfer's own ticket, current again in TransferringMemory
            s.LastByteProgressAt = null;
            s.StepDeadline = clock.GetUtcNow().UtcDateTime + options.TransferSilenceTimeout;
        });

    /// <summary>Ask both hosts what libvirt says of the VM, and let the facts decide.</summary>
    public static EventActivityBinder<MigrationState, T> AskForFacts<T>(this EventActivityBinder<MigrationState, T> b, MigrationStateMachine machine, TimeProvider clock, SagaOptions options) where T : class =>
        b.Then(c =>
            {
                c.Saga.ReconcileAfter = c.Saga.CurrentState;
                c.Saga.FactsVerdict = null;
            })
            .ForgetFacts().TransitionTo(machine.Reconciling).StartStep(clock, options);

    public static EventActivityBinder<MigrationState, T> RemoveProbes<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.If(c => c.Saga.Probes.Count > 0, x => x.ThenAsync(c => c.Send(StepCommands.AgentQueue(c.Saga.SourceHost), StepCommands.RemoveProbes(c.Saga))));

    /// <summary>Cancellation during the transfer: abort the job; its failure then rolls the migration back (or, if it had just finished, it completes).</summary>
    public static EventActivityBinder<MigrationState, T> AbortTransfer<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock, SagaOptions options) where T : class =>
        b.ThenAsync(c =>
        {
            var ticket = StepCommands.Ticket(c.Saga, options);
            var abort = new AbortTransfer { MigrationId = c.Saga.CorrelationId, Ticket = ticket, DomainName = c.Saga.DomainName ?? c.Saga.Vm };
            return c.SendToAgent(c.Saga.SourceHost, abort, ticket, clock.GetUtcNow());
        });

    public static bool WithinPatience<T>(this BehaviorContext<MigrationState, T> c, TimeProvider clock, SagaOptions options) where T : class =>
        clock.GetUtcNow().UtcDateTime - (c.Saga.StepStartedAt ?? c.Saga.StateEnteredAt) < options.CompensationPatience;
}
