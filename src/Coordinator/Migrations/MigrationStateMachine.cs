using Drover.Api;
using System.Linq.Expressions;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// One migration: Queued → ValidatingStorage (the source) → DefiningDomain (the destination checks that it can take the
/// domain, then defines it) → TransferringMemory → CuttingOver (which also gives the destination its final shape) →
/// CleaningUp (the source) → Completed. A failed or silent transfer or switch sends it
/// to Reconciling, where the facts of both hosts decide: carry on (the VM moved), roll back (RollingBack → RolledBack,
/// or Queued again for another attempt when an infrastructure fault caused it), or stop for an operator
/// (NeedsAttention). Every step sends its commands with a ticket (step, attempt, sequence, expiry); only answers that
/// carry the current ticket are acted on, the rest are recorded as ignored. Steps that wait on a host that cannot be
/// reached are sent again with backoff until the patience runs out.
/// </summary>
public sealed class MigrationStateMachine : MassTransitStateMachine<MigrationState>
{
    public MigrationStateMachine(TimeProvider clock, IOptions<SagaOptions> sagaOptions)
    {
        var o = sagaOptions.Value;
        // The answer to the current step says its host cannot be reached, and there is patience left to ask it again.
        bool HostAway(BehaviorContext<MigrationState, StepFailed> c) => IsCurrent(c) && c.Message.IsUnreachable() && c.WithinPatience(clock, o);
        // A compensation's failure that may pass: its host away (asked again within the patience), or libvirt refusing for a
        // reason of the moment (a disk lock a QEMU on its way out still holds: asked again a few times).
        bool MayPass(BehaviorContext<MigrationState, StepFailed> c) =>
            c.Message.IsUnreachable() || (c.Message.IsTransient() && c.Saga.StepResends < o.CompensationRetries);
        InstanceState(x => x.CurrentState);

        Event(() => Requested, x => x.CorrelateById(c => c.Message.MigrationId));
        Event(() => Unreadable, x => x.CorrelateById(c => c.Message.MigrationId));
        Correlate(() => Admitted, c => c.Message.MigrationId);
        Correlate(() => Refused, c => c.Message.MigrationId);
        Correlate(() => Overdue, c => c.Message.MigrationId);
        // A cancel no saga knows (a wrong id, or sent before its request was recorded) is answered, not dropped without a word.
        Event(() => Cancel, x =>
        {
            x.CorrelateById(c => c.Message.MigrationId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => c.Publish(new CancellationRefused
            {
                MigrationId = c.Message.MigrationId,
                Reason = $"No migration {c.Message.MigrationId} is known here: nothing was cancelled",
            })));
        });
        Correlate(() => SourceOk, c => c.Message.MigrationId);
        Correlate(() => Defined, c => c.Message.MigrationId);
        Correlate(() => Progressed, c => c.Message.MigrationId);
        Correlate(() => Escalated, c => c.Message.MigrationId);
        Correlate(() => Transferred, c => c.Message.MigrationId);
        Correlate(() => CutOverDone, c => c.Message.MigrationId);
        Correlate(() => SourceClean, c => c.Message.MigrationId);
        Correlate(() => Undefined, c => c.Message.MigrationId);
        Correlate(() => Resumed, c => c.Message.MigrationId);
        Correlate(() => Facts, c => c.Message.MigrationId);
        Correlate(() => StepFailed, c => c.Message.MigrationId);
        Correlate(() => Expired, c => c.Message.MigrationId);

        // Anything else that reaches a saga in a state that does not expect it is kept on the record, not acted on.
        OnUnhandledEvent(c => c.RecordUnhandled(clock));

        // Answers to another step or attempt, or after the end: late, duplicated or foreign. Recorded, never acted on.
        // Declared before the states' own handling so that it judges an event before a handler starts the next step.
        DuringAny(
            When(SourceOk, IsStale).RecordIgnored(clock),
            When(Defined, IsStale).RecordIgnored(clock),
            When(Progressed, IsStale).RecordIgnored(clock),
            When(Escalated, IsStale).RecordIgnored(clock),
            When(Transferred, IsStale).RecordIgnored(clock),
            When(CutOverDone, IsStale).RecordIgnored(clock),
            When(SourceClean, IsStale).RecordIgnored(clock),
            When(Undefined, IsStale).RecordIgnored(clock),
            When(Resumed, IsStale).RecordIgnored(clock),
            When(Facts, IsStale).RecordIgnored(clock),
            When(StepFailed, IsStale).RecordIgnored(clock),
            // An expired command is a lost answer: the step's deadline has passed or will, and the sweeper acts on it.
            When(Expired).RecordIgnored(clock));

        Initially(
            When(Requested)
                .Record(clock, o)
                .IfElse(c => MigrationRequestValidator.Validate(c.Message) is not null,
                    invalid => invalid
                        .Fail(m => MigrationRequestValidator.Validate(m)!.Reason)
                        .PublishRejected(c => MigrationRequestValidator.Validate(c.Message)!.Field)
                        .TransitionTo(Rejected),
                    valid => valid.TransitionTo(Queued)),
            When(Unreadable)
                .Record(clock)
                .Fail(m => m.Reason)
                .PublishRejected(c => c.Message.Field)
                .TransitionTo(Rejected));

        During(Queued,
            When(Admitted).Record(clock).TransitionTo(ValidatingStorage).StartStep(clock, o),
            When(Refused).Fail(m => m.Reason).PublishRejected(c => c.Message.Field).EndAs(Rejected, clock),
            When(Cancel).Then(c => c.Saga.CancelRequested = true).PublishRolledBack().EndAs(Cancelled, clock));

        During(ValidatingStorage,
            When(SourceOk, IsCurrent).Record().TransitionTo(DefiningDomain).StartStep(clock, o),
            When(StepFailed, IsCurrent).RefuseOrRetry(this, clock, o),
            When(Overdue, c => IsDue(c) && c.Saga.StepResends == 0).ResendStep(clock, o),
            When(Overdue, c => IsDue(c) && c.Saga.StepResends > 0)
                .Fail(_ => "ValidatingStorage got no answer in time").RemoveProbes().PublishRejected(_ => null).EndAs(Rejected, clock),
            When(Cancel).Then(c => c.Saga.CancelRequested = true).RemoveProbes().PublishRolledBack().EndAs(Cancelled, clock));

        During(DefiningDomain,
            // The destination's checks refused it before anything was created or defined: as a refusal of the source's. Once
            // the command was sent again, an earlier sending may have defined it: undone as any failed definition.
            When(StepFailed, RefusedBeforeDefining).RefuseOrRetry(this, clock, o),
            When(Defined, IsCurrent).Then(c => c.Saga.DestinationKeptDefinition = c.Message.KeptPreviousDefinition)
                // An offline migration's definition is in place: it moves nothing more, unless its images are copied.
                .IfElse(c => c.Saga.Kind == Contracts.MigrationKind.Offline && c.Saga.CopiedDisks.Count == 0,
                    offline => offline.TransitionTo(CuttingOver).StartStep(clock, o),
                    online => online.TransitionTo(TransferringMemory).StartStep(clock, o)),
            // A definition may exist even when the agent reported a failure (a lost reply): undo as after a transfer.
            When(StepFailed, c => IsCurrent(c) && !RefusedBeforeDefining(c)).Fail(m => m.Reason).TransitionTo(RollingBack).StartStep(clock, o),
            When(Overdue, c => IsDue(c) && c.Saga.StepResends == 0).ResendStep(clock, o),
            When(Overdue, c => IsDue(c) && c.Saga.StepResends > 0).FailLate().TransitionTo(RollingBack).StartStep(clock, o),
            When(Cancel).Then(c => c.Saga.CancelRequested = true).TransitionTo(RollingBack).StartStep(clock, o));

        During(TransferringMemory,
            When(Progressed, IsCurrent).Record(clock, o),
            When(Escalated, IsCurrent).Record(),
            When(Transferred, IsCurrent).Record().TransitionTo(CuttingOver).StartStep(clock, o),
            When(StepFailed, c => IsCurrent(c) && c.Message.Step == nameof(TransferMemory)).Fail(m => m.Reason).AskForFacts(this, clock, o),
            // A failed abort (the job had just ended) changes nothing: the transfer's own outcome decides.
            When(StepFailed, c => IsCurrent(c) && c.Message.Step == nameof(AbortTransfer)).Then(c => c.Saga.Warning = $"Abort on {c.Message.Host}: {c.Message.Reason}"),
            // Silence, or a job whose bytes stopped moving: abort what may still run, then the facts decide.
            When(Overdue, IsDue).FailStalled(o).Then(c => c.Saga.AbortOnReconcile = true).AskForFacts(this, clock, o),
            When(Cancel).Then(c => c.Saga.CancelRequested = true).AbortTransfer(clock, o));

        During(CuttingOver,
            When(CutOverDone, IsCurrent).Record().TransitionTo(CleaningUp).StartStep(clock, o),
            When(StepFailed, HostAway).ResendLater(clock, o),
            When(StepFailed, c => IsCurrent(c) && !HostAway(c)).Fail(m => m.Reason).AskForFacts(this, clock, o),
            When(Overdue, c => IsDue(c) && c.Saga.StepResends == 0).ResendStep(clock, o),
            When(Overdue, c => IsDue(c) && c.Saga.StepResends > 0).FailLate().AskForFacts(this, clock, o),
            When(Cancel).RefuseCancel());

        During(Reconciling,
            When(Facts, IsCurrent).RecordFacts()
                .If(c => c.Saga.FactsVerdict == nameof(Verdict.TransferStillRuns), x => x.TransitionTo(TransferringMemory).AwaitTransfer(clock, o))
                .If(c => c.Saga.FactsVerdict == nameof(Verdict.OnDestination), x => x.TransitionTo(CuttingOver).StartStep(clock, o))
                .If(c => c.Saga.FactsVerdict == nameof(Verdict.OnSource), x => x.TransitionTo(RollingBack).StartStep(clock, o))
                .If(c => c.Saga.FactsVerdict == nameof(Verdict.Unsettled), x => x.ForgetFacts().ResendLater(clock, o))
                .If(c => c.Saga.FactsVerdict == nameof(Verdict.Contradictory), x => x.FailFromFacts().PublishNeedsAttention().EndAs(NeedsAttention, clock)),
            When(StepFailed, IsCurrent).ResendLater(clock, o),
            When(Overdue, c => IsDue(c) && c.WithinPatience(clock, o)).ResendStep(clock, o),
            When(Overdue, c => IsDue(c) && !c.WithinPatience(clock, o)).FailFromFacts().PublishNeedsAttention().EndAs(NeedsAttention, clock),
            When(Cancel).RefuseCancel());

        During(RollingBack,
            When(Undefined, IsCurrent).Then(c => c.Saga.DestinationDone = true).If(c => c.Saga.SourceDone, done => done.FinishRollback(this, clock, o)),
            When(Resumed, IsCurrent).Then(c => c.Saga.SourceDone = true).If(c => c.Saga.DestinationDone, done => done.FinishRollback(this, clock, o)),
            When(StepFailed, c => IsCurrent(c) && MayPass(c)).ResendLater(clock, o),
            When(StepFailed, c => IsCurrent(c) && !MayPass(c))
                .Then(c => c.Saga.FailureReason = $"Compensation failed on {c.Message.Host}: {c.Message.Reason} (after: {c.Saga.FailureReason})")
                .PublishNeedsAttention().EndAs(NeedsAttention, clock),
            When(Overdue, c => IsDue(c) && c.WithinPatience(clock, o)).ResendStep(clock, o),
            When(Overdue, c => IsDue(c) && !c.WithinPatience(clock, o))
                .Then(c => c.Saga.FailureReason = $"The compensation got no answer within {o.CompensationPatience} (after: {c.Saga.FailureReason})")
                .PublishNeedsAttention().EndAs(NeedsAttention, clock),
            When(Cancel).Then(c => c.Saga.CancelRequested = true));

        During(CleaningUp,
            When(SourceClean, IsCurrent).PublishCompleted(clock).EndAs(Completed, clock),
            When(StepFailed, HostAway).ResendLater(clock, o),
            // The VM already runs on the destination: a failed clean-up is reported, never rolled back.
            When(StepFailed, c => IsCurrent(c) && !HostAway(c)).CleanUpFailed().PublishCompleted(clock).EndAs(Completed, clock),
            When(Overdue, c => IsDue(c) && c.WithinPatience(clock, o)).ResendStep(clock, o),
            When(Overdue, c => IsDue(c) && !c.WithinPatience(clock, o))
                .Then(c => c.Saga.Warning = $"Clean-up got no answer within {o.CompensationPatience}")
                .PublishCompleted(clock).EndAs(Completed, clock),
            When(Cancel).RefuseCancel());

        During(Completed, Rejected, RolledBack, When(Cancel).RefuseCancel());
        During(Cancelled, NeedsAttention, When(Cancel).RefuseCancel());
    }

    /// <summary>An answer to the step the saga waits for now: same attempt, same step sequence, a step under way, and from a
    /// host the step's commands went to (the coordinator has checked that the agent of that host sent it). Back in
    /// TransferringMemory after the facts showed the job still running, the transfer's own ticket is current again.</summary>
    private static bool IsCurrent<T>(BehaviorContext<MigrationState, T> c) where T : class, IStepEvent =>
        c.Message.Ticket is { } t && t.Attempt == c.Saga.Attempt && c.Saga.StepDeadline is not null
        && (t.Sequence == c.Saga.StepSequence || (c.Saga.Is(MigrationStatus.TransferringMemory) && t.Sequence == c.Saga.TransferSequence))
        && StepCommands.Hosts(c.Saga).Contains(c.Message.Host);

    /// <summary>The destination's checks, made first by the one <see cref="DefineDomain"/> sent, refused the domain: nothing of
    /// the migration is on the destination.</summary>
    private static bool RefusedBeforeDefining(BehaviorContext<MigrationState, StepFailed> c) =>
        IsCurrent(c) && c.Message.Step == nameof(ValidateDestination) && c.Saga.StepResends == 0;

    private static bool IsStale<T>(BehaviorContext<MigrationState, T> c) where T : class, IStepEvent => !IsCurrent(c);

    /// <summary>The sweeper's notice is for the deadline the saga has now (not one it has since moved past).</summary>
    private static bool IsDue(BehaviorContext<MigrationState, StepOverdue> c) => c.Message.Deadline == c.Saga.StepDeadline;

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
    public State RollingBack { get; private set; } = null!;
    public State Reconciling { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;
    public State RolledBack { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;
    public State NeedsAttention { get; private set; } = null!;

    public Event<MigrateVm> Requested { get; private set; } = null!;
    public Event<MigrationRequestUnreadable> Unreadable { get; private set; } = null!;
    public Event<AdmitMigration> Admitted { get; private set; } = null!;
    public Event<RefuseMigration> Refused { get; private set; } = null!;
    public Event<StepOverdue> Overdue { get; private set; } = null!;
    public Event<CancelMigration> Cancel { get; private set; } = null!;
    public Event<SourceValidated> SourceOk { get; private set; } = null!;
    public Event<DomainDefined> Defined { get; private set; } = null!;
    public Event<MemoryTransferProgressed> Progressed { get; private set; } = null!;
    public Event<MigrationEscalated> Escalated { get; private set; } = null!;
    public Event<MemoryTransferred> Transferred { get; private set; } = null!;
    public Event<CutOverCompleted> CutOverDone { get; private set; } = null!;
    public Event<SourceCleanedUp> SourceClean { get; private set; } = null!;
    public Event<DomainUndefined> Undefined { get; private set; } = null!;
    public Event<DomainResumed> Resumed { get; private set; } = null!;
    public Event<DomainFacts> Facts { get; private set; } = null!;
    public Event<StepFailed> StepFailed { get; private set; } = null!;
    public Event<StepExpired> Expired { get; private set; } = null!;
}
