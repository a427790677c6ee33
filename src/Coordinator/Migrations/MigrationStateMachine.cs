using System.Linq.Expressions;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// One migration: Queued → ValidatingStorage → DefiningDomain → TransferringMemory → CuttingOver → CleaningUp →
/// Completed, with compensation (MigratingBack, RollingBack → RolledBack / Cancelled), Rejected, and
/// NeedsAttention (MigrationFailed) when a compensation itself fails. Every step sends a command to one agent and
/// waits for its event or the step's deadline.
/// </summary>
public sealed class MigrationStateMachine : MassTransitStateMachine<MigrationState>
{
    public MigrationStateMachine(TimeProvider clock, IOptions<SagaOptions> sagaOptions)
    {
        var o = sagaOptions.Value;
        InstanceState(x => x.CurrentState);

        Event(() => Requested, x => x.CorrelateById(c => c.Message.MigrationId));
        Correlate(() => Admitted, c => c.Message.MigrationId);
        Correlate(() => Refused, c => c.Message.MigrationId);
        Correlate(() => StillQueued, c => c.Message.MigrationId);
        Correlate(() => Overdue, c => c.Message.MigrationId);
        Correlate(() => Cancel, c => c.Message.MigrationId);
        Correlate(() => SourceOk, c => c.Message.MigrationId);
        Correlate(() => DestinationOk, c => c.Message.MigrationId);
        Correlate(() => Defined, c => c.Message.MigrationId);
        Correlate(() => Progressed, c => c.Message.MigrationId);
        Correlate(() => Escalated, c => c.Message.MigrationId);
        Correlate(() => Transferred, c => c.Message.MigrationId);
        Correlate(() => CutOverDone, c => c.Message.MigrationId);
        Correlate(() => SourceClean, c => c.Message.MigrationId);
        Correlate(() => DestinationClean, c => c.Message.MigrationId);
        Correlate(() => MovedBack, c => c.Message.MigrationId);
        Correlate(() => Undefined, c => c.Message.MigrationId);
        Correlate(() => Resumed, c => c.Message.MigrationId);
        Correlate(() => Facts, c => c.Message.MigrationId);
        Correlate(() => StepFailed, c => c.Message.MigrationId);

        // Late, duplicate and redelivered events are expected on a bus: they change nothing.
        OnUnhandledEvent(c => c.Ignore());

        Initially(
            When(Requested)
                .Record(clock)
                .IfElse(c => MigrationRequestValidator.Validate(c.Message) is not null,
                    invalid => invalid
                        .Fail(m => MigrationRequestValidator.Validate(m)!.Reason)
                        .PublishRejected(c => MigrationRequestValidator.Validate(c.Message)!.Field)
                        .TransitionTo(Rejected),
                    valid => valid.TransitionTo(Queued)));

        During(Queued,
            When(Admitted).Record().TransitionTo(ValidatingStorage).SendStepCommands(clock, o),
            When(StillQueued).Then(c => c.Saga.QueueReason = c.Message.Reason),
            When(Refused).Fail(m => m.Reason).PublishRejected(c => c.Message.Field).TransitionTo(Rejected),
            When(Cancel).Then(c => c.Saga.CancelRequested = true).PublishRolledBack().TransitionTo(Cancelled));

        During(ValidatingStorage,
            When(SourceOk).Record().SendStepCommands(clock, o),
            When(DestinationOk).TransitionTo(DefiningDomain).SendStepCommands(clock, o),
            When(StepFailed).Fail(m => m.Reason).RemoveProbes().PublishRejected(_ => null).TransitionTo(Rejected),
            When(Cancel).Then(c => c.Saga.CancelRequested = true).RemoveProbes().PublishRolledBack().TransitionTo(Cancelled));

        During(DefiningDomain,
            When(Defined).Then(c => c.Saga.DestinationPreviousXml = c.Message.PreviousDefinitionXml).IfElse(c => c.Saga.Kind == MigrationKind.Offline,
                offline => offline.TransitionTo(CuttingOver).SendStepCommands(clock, o),
                online => online.TransitionTo(TransferringMemory).SendStepCommands(clock, o)),
            // A definition may exist even when the agent reported a failure (a lost reply): undo as after a transfer.
            When(StepFailed).Fail(m => m.Reason).TransitionTo(RollingBack).SendStepCommands(clock, o),
            When(Cancel).Then(c => c.Saga.CancelRequested = true).TransitionTo(RollingBack).SendStepCommands(clock, o));

        During(TransferringMemory,
            When(Progressed).Record(clock, o),
            When(Escalated).Record(),
            When(Transferred).Record().TransitionTo(CuttingOver).SendStepCommands(clock, o),
            When(StepFailed, c => c.IsStep<TransferMemory>()).Fail(m => m.Reason).TransitionTo(RollingBack).SendStepCommands(clock, o),
            When(Cancel).Then(c => c.Saga.CancelRequested = true).AbortTransfer());

        During(CuttingOver,
            When(CutOverDone).TransitionTo(CleaningUp).SendStepCommands(clock, o),
            When(StepFailed).Fail(m => m.Reason).IfElse(c => c.Saga.Kind == MigrationKind.Offline,
                offline => offline.TransitionTo(RollingBack).SendStepCommands(clock, o),
                online => online.TransitionTo(MigratingBack).SendStepCommands(clock, o)),
            When(Cancel).RefuseCancel());

        During(MigratingBack,
            When(MovedBack).TransitionTo(RollingBack).SendStepCommands(clock, o),
            When(StepFailed).Fail(m => $"Moving back failed: {m.Reason}").PublishNeedsAttention().TransitionTo(NeedsAttention),
            When(Cancel).RefuseCancel());

        During(RollingBack,
            When(Undefined).Then(c => c.Saga.DestinationDone = true).If(c => c.Saga.SourceDone, done => done.FinishRollback(this)),
            When(Resumed).Then(c => c.Saga.SourceDone = true).If(c => c.Saga.DestinationDone, done => done.FinishRollback(this)),
            When(StepFailed).Fail(m => $"Compensation failed on {m.Host}: {m.Reason}").PublishNeedsAttention().TransitionTo(NeedsAttention));

        During(CleaningUp,
            When(SourceClean).Then(c => c.Saga.SourceDone = true).If(c => c.Saga.DestinationDone, done => done.PublishCompleted(clock).TransitionTo(Completed)),
            When(DestinationClean).Then(c => c.Saga.DestinationDone = true).If(c => c.Saga.SourceDone, done => done.PublishCompleted(clock).TransitionTo(Completed)),
            // The VM already runs on the destination: a failed clean-up is reported, never rolled back.
            When(StepFailed).Then(c =>
                {
                    c.Saga.Warning = $"Clean-up on {c.Message.Host} failed: {c.Message.Reason}";
                    if (c.Message.Host == c.Saga.SourceHost) c.Saga.SourceDone = true;
                    else c.Saga.DestinationDone = true;
                })
                .If(c => c.Saga.SourceDone && c.Saga.DestinationDone, done => done.PublishCompleted(clock).TransitionTo(Completed)),
            When(Cancel).RefuseCancel());

        During(Reconciling,
            When(Facts).Then(c => MigrationReconciliation.Record(c.Saga, c.Message))
                .If(c => c.Saga.SourceFacts is not null && c.Saga.DestinationFacts is not null,
                    both => both.ThenAsync(c => MigrationReconciliation.Decide(c, this, clock, o))));

        During(Completed, Rejected, RolledBack, When(Cancel).RefuseCancel());
        During(Cancelled, NeedsAttention, When(Cancel).RefuseCancel());

        DuringAny(
            When(Overdue, c => c.Message.Deadline == c.Saga.StepDeadline)
                .ThenAsync(c => MigrationReconciliation.OnOverdue(c, this, clock, o)));
    }

    /// <summary>An event of a running migration: correlated by its MigrationId, dropped when no saga knows it (late or foreign).</summary>
    private void Correlate<T>(Expression<Func<Event<T>>> property, Func<ConsumeContext<T>, Guid> migrationId) where T : class =>
        Event(property, x =>
        {
            x.CorrelateById(migrationId);
            x.OnMissingInstance(m => m.Discard());
        });

    public State Queued { get; private set; } = null!;
    public State ValidatingStorage { get; private set; } = null!;
    public State DefiningDomain { get; private set; } = null!;
    public State TransferringMemory { get; private set; } = null!;
    public State CuttingOver { get; private set; } = null!;
    public State CleaningUp { get; private set; } = null!;
    public State MigratingBack { get; private set; } = null!;
    public State RollingBack { get; private set; } = null!;
    public State Reconciling { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;
    public State RolledBack { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;
    public State NeedsAttention { get; private set; } = null!;

    public Event<MigrateVm> Requested { get; private set; } = null!;
    public Event<AdmitMigration> Admitted { get; private set; } = null!;
    public Event<RefuseMigration> Refused { get; private set; } = null!;
    public Event<MigrationQueued> StillQueued { get; private set; } = null!;
    public Event<StepOverdue> Overdue { get; private set; } = null!;
    public Event<CancelMigration> Cancel { get; private set; } = null!;
    public Event<SourceValidated> SourceOk { get; private set; } = null!;
    public Event<DestinationValidated> DestinationOk { get; private set; } = null!;
    public Event<DomainDefined> Defined { get; private set; } = null!;
    public Event<MemoryTransferProgressed> Progressed { get; private set; } = null!;
    public Event<MigrationEscalated> Escalated { get; private set; } = null!;
    public Event<MemoryTransferred> Transferred { get; private set; } = null!;
    public Event<CutOverCompleted> CutOverDone { get; private set; } = null!;
    public Event<SourceCleanedUp> SourceClean { get; private set; } = null!;
    public Event<DestinationCleanedUp> DestinationClean { get; private set; } = null!;
    public Event<MigratedBack> MovedBack { get; private set; } = null!;
    public Event<DomainUndefined> Undefined { get; private set; } = null!;
    public Event<DomainResumed> Resumed { get; private set; } = null!;
    public Event<DomainFacts> Facts { get; private set; } = null!;
    public Event<StepFailed> StepFailed { get; private set; } = null!;

    /// <summary>States in which a migration holds host resources (admission counts them).</summary>
    public static readonly string[] ActiveStates =
        ["ValidatingStorage", "DefiningDomain", "TransferringMemory", "CuttingOver", "CleaningUp", "MigratingBack", "RollingBack", "Reconciling"];

    public static readonly string[] FinalStates = ["Completed", "Rejected", "RolledBack", "Cancelled", "NeedsAttention"];
}
