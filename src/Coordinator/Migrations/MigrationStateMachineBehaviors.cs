using Drover.Contracts.Agent;
using Drover.Api;
using Drover.Contracts.Migrations;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>How a migration ends, or starts again: its outcome events, the final states, another attempt, a refused cancel.</summary>
public static class MigrationStateMachineBehaviors
{
    public static EventActivityBinder<MigrationState, T> PublishRejected<T>(this EventActivityBinder<MigrationState, T> b, Func<BehaviorContext<MigrationState, T>, string?> field) where T : class =>
        b.Then(c => c.Saga.RejectedField = field(c)).ThenAsync(c => c.PublishOutcome(Outcomes.Rejected(c.Saga)));

    public static EventActivityBinder<MigrationState, T> PublishNeedsAttention<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.ThenAsync(c => c.PublishOutcome(Outcomes.NeedsAttention(c.Saga)));

    public static EventActivityBinder<MigrationState, T> PublishCompleted<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock) where T : class =>
        b.ThenAsync(c => c.PublishOutcome(Outcomes.Completed(c.Saga, clock)));

    public static EventActivityBinder<MigrationState, T> PublishRolledBack<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.ThenAsync(c => c.PublishOutcome(Outcomes.RolledBack(c.Saga)));

    /// <summary>The outcome event, and — when a fleet job started the migration — the job's report of its move, from the saga
    /// that knows who asked (no consumer of every outcome looking the requester up again: bench/control-plane.sh).</summary>
    private static async Task PublishOutcome(this BehaviorContext<MigrationState> c, object outcome)
    {
        await c.Publish(outcome);
        if (Rebalancing.RebalanceMoves.Finished(c.Saga.RequestedBy, outcome) is { } finished) await c.Publish(finished);
    }

    /// <summary>
    /// A message delivered again that finds the migration ended: the coordinator that ended it may have died after saving
    /// the end and before its outcome left (there is no transactional outbox; the broker redelivers what was not
    /// acknowledged, and step deadlines cover only steps). Tell the outcome and the final state change again: their
    /// consumers take duplicates, a lost outcome would leave its requester waiting for ever.
    /// </summary>
    public static async Task RetellOutcome(this BehaviorContext<MigrationState> c, TimeProvider clock, bool repeatedRequest = false)
    {
        var s = c.Saga;
        if (!(c.ReceiveContext.Redelivered || repeatedRequest) || Outcomes.Of(s, clock) is not { } outcome) return;
        await c.PublishOutcome(outcome);
        if (s.Timeline is [.., var previous, var last] && last.State == s.CurrentState)
        {
            await c.Publish(Outcomes.StateChanged(s, previous.State, last.State, last.Reason, last.At));
        }
    }

    /// <summary>The migration ends in <paramref name="final"/>: its attempt is recorded and no step waits any more.</summary>
    public static EventActivityBinder<MigrationState, T> EndAs<T>(this EventActivityBinder<MigrationState, T> b, State final, TimeProvider clock) where T : class =>
        b.Then(c =>
        {
            c.Saga.CloseAttempt(final.Name, clock);
            c.Saga.StepDeadline = null;
        }).TransitionTo(final);

    /// <summary>
    /// Both sides undone. Cancelled when an operator asked for it; another attempt when an infrastructure fault caused
    /// it and attempts are left (after a backoff, to another destination when placement chose the first); RolledBack otherwise.
    /// </summary>
    public static EventActivityBinder<MigrationState, T> FinishRollback<T>(this EventActivityBinder<MigrationState, T> b, MigrationStateMachine machine, TimeProvider clock, SagaOptions options) where T : class =>
        b.RemoveProbes()
            .IfElse(c => c.Saga.CancelRequested,
                cancelled => cancelled.PublishRolledBack().EndAs(machine.Cancelled, clock),
                failed => failed.IfElse(c => c.Saga.FailureIsTransient && c.Saga.Attempt < c.Saga.MaxAttempts,
                    retry => retry.Then(c => c.Saga.NextAttempt(clock, options)).TransitionTo(machine.Queued),
                    final => final.PublishRolledBack().EndAs(machine.RolledBack, clock)));

    /// <summary>A validation refused the migration before anything changed on either host but the source's probes: those go;
    /// a refusal is final, a host whose libvirtd did not answer (restarting, crashed) an ordinary fault to try again.</summary>
    public static EventActivityBinder<MigrationState, StepFailed> RefuseOrRetry(this EventActivityBinder<MigrationState, StepFailed> b, MigrationStateMachine machine, TimeProvider clock, SagaOptions options) =>
        b.Fail(m => m.Reason).RemoveProbes()
            .IfElse(c => c.Saga.FailureIsTransient && c.Saga.Attempt < c.Saga.MaxAttempts,
                retry => retry.Then(c => c.Saga.NextAttempt(clock, options)).TransitionTo(machine.Queued),
                refused => refused.PublishRejected(_ => null).EndAs(machine.Rejected, clock));

    public static EventActivityBinder<MigrationState, CancelMigration> RefuseCancel(this EventActivityBinder<MigrationState, CancelMigration> b) =>
        b.PublishAsync(c => Task.FromResult(new CancellationRefused
        {
            MigrationId = c.Saga.CorrelationId,
            Reason = $"Migration is {c.Saga.CurrentState}: " + (c.Saga.CurrentState is nameof(MigrationStatus.CuttingOver) or nameof(MigrationStatus.CleaningUp) or nameof(MigrationStatus.Reconciling)
                ? "the VM may already run on the destination; migrate it back instead"
                : "it has finished"),
        }));
}
