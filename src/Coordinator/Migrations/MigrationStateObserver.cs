using Drover.Coordinator.Observation;
using Drover.Api;
using Drover.Contracts.Migrations;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>On every transition: publish <see cref="MigrationStateChanged"/>, record how long the last state took, and reset the
/// step's bookkeeping. A migration that queues or ends wakes this coordinator's admission once its row is written (the pass
/// must see it): in process, not through the bus — each state change delivered back to the coordinator cost a consumed
/// message per transition (bench/control-plane.sh).</summary>
public sealed class MigrationStateObserver(TimeProvider clock, DroverMetrics metrics, AdmissionSignal admission) : IStateObserver<MigrationState>
{
    public async Task StateChanged(BehaviorContext<MigrationState> context, State currentState, State previousState)
    {
        if (currentState.Name == "Initial") return;   // a new instance, before its first real state
        var s = context.Saga;
        var now = clock.GetUtcNow().UtcDateTime;
        string previous = previousState?.Name ?? "Initial";
        if (previous is not ("Initial" or "Queued"))
        {
            s.StepDurations = new(s.StepDurations) { [previous] = s.StepDurations.GetValueOrDefault(previous) + (long)(now - s.StateEnteredAt).TotalMilliseconds };
        }
        s.StateEnteredAt = now;
        s.SourceDone = currentState.Name == nameof(MigrationStatus.RollingBack) && !s.WasActive;   // nothing to resume for a VM that was off
        s.DestinationDone = false;
        if (MigrationStatuses.IsFinal(currentState.Name))
        {
            s.StepDeadline = null;
            s.CompletedAt = now;
        }
        string? reason = MigrationStatuses.IsFinal(currentState.Name) ? s.FailureReason ?? s.Warning
            : currentState.Name is nameof(MigrationStatus.Reconciling) or nameof(MigrationStatus.RollingBack) ? s.FailureReason
            : s.QueueReason;
        s.Timeline.Add(new StateChange { At = now, State = currentState.Name, Reason = reason });
        metrics.Entered(s, currentState.Name);
        if (currentState.Name == nameof(MigrationStatus.Queued) || MigrationStatuses.IsFinal(currentState.Name)) s.AfterCommit(admission.Poke);
        await context.Publish(Outcomes.StateChanged(s, previous, currentState.Name, reason, now));
    }
}
