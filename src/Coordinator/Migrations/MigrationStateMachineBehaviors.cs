using System.Text.Json;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>What the migration saga does at each step. No I/O: it records, sends and publishes.</summary>
public static class MigrationStateMachineBehaviors
{
    public static EventActivityBinder<MigrationState, MigrateVm> Record(this EventActivityBinder<MigrationState, MigrateVm> b, TimeProvider clock, SagaOptions options) =>
        b.Then(c =>
        {
            var (s, m) = (c.Saga, c.Message);
            s.Vm = m.Vm ?? "";
            s.SourceHost = m.SourceHost ?? "";
            s.DestinationHost = m.DestinationHost;
            s.RequestedDestination = m.DestinationHost;
            s.Kind = m.Kind;
            s.Persistent = m.Persistent;
            s.UndefineSource = m.UndefineSource;
            s.BandwidthMiBps = m.BandwidthMiBps;
            s.MaxDowntimeMs = m.MaxDowntimeMs;
            s.AutoConverge = m.AutoConverge;
            s.PostCopyAllowed = m.PostCopyAllowed;
            s.FallBackToNonLiveAllowed = m.FallBackToNonLiveAllowed;
            s.CopyStorage = m.CopyStorage;
            s.Priority = m.Priority;
            s.RequestedBy = m.RequestedBy;
            s.MaxAttempts = m.MaxAttempts ?? options.DefaultMaxAttempts;
            s.TraceParent = System.Diagnostics.Activity.Current?.Id;
            s.CreatedAt = clock.GetUtcNow().UtcDateTime;
            s.StateEnteredAt = s.CreatedAt;
        });

    public static EventActivityBinder<MigrationState, MigrationRequestUnreadable> Record(this EventActivityBinder<MigrationState, MigrationRequestUnreadable> b, TimeProvider clock) =>
        b.Then(c =>
        {
            var (s, m) = (c.Saga, c.Message);
            s.Vm = m.Vm ?? "";
            s.SourceHost = m.SourceHost ?? "";
            s.CreatedAt = clock.GetUtcNow().UtcDateTime;
            s.StateEnteredAt = s.CreatedAt;
        });

    public static EventActivityBinder<MigrationState, AdmitMigration> Record(this EventActivityBinder<MigrationState, AdmitMigration> b, TimeProvider clock) =>
        b.Then(c =>
        {
            c.Saga.DestinationHost = c.Message.DestinationHost;
            c.Saga.SourceMigrationUri = c.Message.SourceMigrationUri;
            c.Saga.DestinationMigrationUri = c.Message.DestinationMigrationUri;
            c.Saga.PlacementReason = c.Message.PlacementReason;
            c.Saga.QueueReason = null;
            c.Saga.RetryAt = null;
            c.Saga.AttemptStartedAt = clock.GetUtcNow().UtcDateTime;
        });

    public static EventActivityBinder<MigrationState, SourceValidated> Record(this EventActivityBinder<MigrationState, SourceValidated> b) =>
        b.Then(c =>
        {
            var (s, m) = (c.Saga, c.Message);
            s.DomainName = m.DomainName;
            s.DomainUuid = m.DomainUuid;
            s.WasActive = m.WasActive;
            s.WasRunning = m.WasRunning;
            s.Autostart = m.Autostart;
            s.MigratableXml = m.MigratableXml;
            s.MemoryKiB = m.MemoryKiB;
            s.VCpus = m.VCpus;
            s.SourceLibvirtVersion = m.LibvirtVersion;
            s.SourceHypervisorVersion = m.HypervisorVersion;
            s.ProbesJson = JsonSerializer.Serialize(m.Probes);
        });

    /// <summary>Progress. The step's deadline moves only while bytes move: a job that stalls is aborted after
    /// <see cref="SagaOptions.TransferStallTimeout"/>, one that goes silent after <see cref="SagaOptions.TransferSilenceTimeout"/>.</summary>
    public static EventActivityBinder<MigrationState, MemoryTransferProgressed> Record(this EventActivityBinder<MigrationState, MemoryTransferProgressed> b, TimeProvider clock, SagaOptions options) =>
        b.Then(c =>
        {
            var (s, m) = (c.Saga, c.Message);
            var now = clock.GetUtcNow().UtcDateTime;
            if (m.DataProcessedBytes > s.DataProcessedBytes || s.LastByteProgressAt is null) s.LastByteProgressAt = now;
            s.DataProcessedBytes = Math.Max(s.DataProcessedBytes, m.DataProcessedBytes);
            s.DataRemainingBytes = m.DataRemainingBytes;
            s.DataTotalBytes = m.DataTotalBytes;
            s.DirtyRateBytesPerSecond = m.DirtyRateBytesPerSecond;
            s.BandwidthBytesPerSecond = m.BandwidthBytesPerSecond;
            s.Iteration = m.Iteration;
            s.PercentComplete = TransferProgress.Percent(s.PercentComplete, m.DataProcessedBytes, m.DataRemainingBytes);
            s.EtaSeconds = TransferProgress.EtaSeconds(m.DataRemainingBytes, m.BandwidthBytesPerSecond, m.DirtyRateBytesPerSecond);
            var silence = now + options.TransferSilenceTimeout;
            var stall = s.LastByteProgressAt.Value + options.TransferStallTimeout;
            s.StepDeadline = silence < stall ? silence : stall;
        });

    public static EventActivityBinder<MigrationState, MigrationEscalated> Record(this EventActivityBinder<MigrationState, MigrationEscalated> b) =>
        b.Then(c =>
        {
            var m = c.Message;
            var list = JsonSerializer.Deserialize<List<Escalation>>(c.Saga.EscalationsJson) ?? [];
            list.Add(new Escalation(m.Action.ToString(), m.Reason, m.MaxDowntimeMs, m.Iteration, m.DataRemainingBytes, m.At));
            c.Saga.EscalationsJson = JsonSerializer.Serialize(list);
        });

    public static EventActivityBinder<MigrationState, MemoryTransferred> Record(this EventActivityBinder<MigrationState, MemoryTransferred> b) =>
        b.Then(c =>
        {
            c.Saga.DowntimeMs = c.Message.DowntimeMs;
            c.Saga.TransferDurationMs = c.Message.DurationMs;
            c.Saga.DataProcessedBytes = Math.Max(c.Saga.DataProcessedBytes, c.Message.DataTransferredBytes);
            c.Saga.DataRemainingBytes = 0;
            c.Saga.Iteration = Math.Max(c.Saga.Iteration, c.Message.Iterations);
            c.Saga.PercentComplete = 100;
            c.Saga.EtaSeconds = 0;
        });

    public static EventActivityBinder<MigrationState, T> Fail<T>(this EventActivityBinder<MigrationState, T> b, Func<T, string> reason) where T : class =>
        b.Then(c =>
        {
            c.Saga.FailureReason = reason(c.Message);
            if (c.Message is StepFailed failed)
            {
                c.Saga.FailureCode = failed.Code;
                c.Saga.FailureIsTransient = failed.IsTransient();
            }
        });

    /// <summary>A step that got no answer in time, even when sent again: an infrastructure fault (a host or agent away).</summary>
    public static EventActivityBinder<MigrationState, StepOverdue> FailLate(this EventActivityBinder<MigrationState, StepOverdue> b) =>
        b.Then(c =>
        {
            c.Saga.FailureReason = $"{c.Saga.CurrentState} got no answer in time";
            c.Saga.FailureCode = null;
            c.Saga.FailureIsTransient = true;
        });

    public static EventActivityBinder<MigrationState, StepOverdue> FailStalled(this EventActivityBinder<MigrationState, StepOverdue> b, SagaOptions o) =>
        b.Then(c =>
        {
            var s = c.Saga;
            s.FailureReason = s.LastByteProgressAt is null
                ? $"No word of the transfer from {s.SourceHost} for {o.TransferSilenceTimeout}"
                : $"The transfer made no progress for {o.TransferStallTimeout} (stuck at {s.DataProcessedBytes / (1 << 20)} MiB sent)";
            s.FailureCode = null;
            s.FailureIsTransient = true;
        });

    public static EventActivityBinder<MigrationState, T> FailFromFacts<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.Then(c => c.Saga.FailureReason = $"{c.Saga.FailureReason ?? "Reconciliation"}; from the facts, {FactsVerdict.Describe(c.Saga)}: an operator must decide");

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
                var s = c.Saga;
                s.ReconcileAfter = s.CurrentState;
                s.SourceFacts = s.DestinationFacts = null;
                s.SourceTransferInProgress = false;
                s.DestinationMark = null;
                s.FactsVerdict = null;
            })
            .TransitionTo(machine.Reconciling).StartStep(clock, options);

    /// <summary>The facts were unsettled (libvirt between states): both hosts are asked again.</summary>
    public static EventActivityBinder<MigrationState, DomainFacts> ForgetFacts(this EventActivityBinder<MigrationState, DomainFacts> b) =>
        b.Then(c =>
        {
            c.Saga.SourceFacts = c.Saga.DestinationFacts = null;
            c.Saga.SourceTransferInProgress = false;
        });

    public static EventActivityBinder<MigrationState, DomainFacts> RecordFacts(this EventActivityBinder<MigrationState, DomainFacts> b) =>
        b.Then(c =>
        {
            var (s, facts) = (c.Saga, c.Message);
            if (facts.Host == s.SourceHost)
            {
                s.SourceFacts = facts.State;
                s.SourceTransferInProgress = facts.TransferInProgress;
            }
            else if (facts.Host == s.DestinationHost)
            {
                s.DestinationFacts = facts.State;
                s.DestinationMark = facts.MigrationMark;
            }
            s.FactsVerdict = s.SourceFacts is not null && s.DestinationFacts is not null ? FactsVerdict.Decide(s).ToString() : null;
        });

    public static EventActivityBinder<MigrationState, T> RemoveProbes<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.If(c => c.Saga.ProbesJson != "[]", x => x.ThenAsync(c => c.Send(StepCommands.AgentQueue(c.Saga.SourceHost), StepCommands.RemoveProbes(c.Saga))));

    /// <summary>Cancellation during the transfer: abort the job; its failure then rolls the migration back (or, if it had just finished, it completes).</summary>
    public static EventActivityBinder<MigrationState, T> AbortTransfer<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock, SagaOptions options) where T : class =>
        b.ThenAsync(c =>
        {
            var ticket = StepCommands.Ticket(c.Saga, options);
            var abort = new AbortTransfer { MigrationId = c.Saga.CorrelationId, Ticket = ticket, DomainName = c.Saga.DomainName ?? c.Saga.Vm };
            return c.SendToAgent(c.Saga.SourceHost, abort, ticket, clock.GetUtcNow());
        });

    public static EventActivityBinder<MigrationState, StepFailed> CleanUpFailed(this EventActivityBinder<MigrationState, StepFailed> b) =>
        b.Then(c =>
        {
            c.Saga.Warning = $"Clean-up on {c.Message.Host} failed: {c.Message.Reason}";
            if (c.Message.Host == c.Saga.SourceHost) c.Saga.SourceDone = true;
            else c.Saga.DestinationDone = true;
        });

    public static EventActivityBinder<MigrationState, T> PublishRejected<T>(this EventActivityBinder<MigrationState, T> b, Func<BehaviorContext<MigrationState, T>, string?> field) where T : class =>
        b.PublishAsync(c => Task.FromResult(Outcomes.Rejected(c.Saga, field(c))));

    public static EventActivityBinder<MigrationState, T> PublishNeedsAttention<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.PublishAsync(c => Task.FromResult(Outcomes.NeedsAttention(c.Saga)));

    public static EventActivityBinder<MigrationState, T> PublishCompleted<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock) where T : class =>
        b.PublishAsync(c => Task.FromResult(Outcomes.Completed(c.Saga, clock)));

    public static EventActivityBinder<MigrationState, T> PublishRolledBack<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.PublishAsync(c => Task.FromResult(Outcomes.RolledBack(c.Saga)));

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

    public static EventActivityBinder<MigrationState, CancelMigration> RefuseCancel(this EventActivityBinder<MigrationState, CancelMigration> b) =>
        b.PublishAsync(c => Task.FromResult(new CancellationRefused
        {
            MigrationId = c.Saga.CorrelationId,
            Reason = $"Migration is {c.Saga.CurrentState}: " + (c.Saga.CurrentState is nameof(MigrationStatus.CuttingOver) or nameof(MigrationStatus.CleaningUp) or nameof(MigrationStatus.Reconciling)
                ? "the VM may already run on the destination; migrate it back instead"
                : "it has finished"),
        }));

    public static EventActivityBinder<MigrationState, T> RecordIgnored<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock) where T : class, IStepEvent =>
        b.Then(c =>
        {
            var s = c.Saga;
            var t = c.Message.Ticket;
            string why = c.Message is StepExpired ? $"{((StepExpired)(object)c.Message).Command} reached the agent after its expiry {t.NotAfter:O}; libvirt was not touched"
                : MigrationStatuses.IsFinal(s.CurrentState) ? $"the migration had ended ({s.CurrentState})"
                : t.Attempt != s.Attempt ? $"it answers attempt {t.Attempt}; attempt {s.Attempt} is under way"
                : $"it answers step {t.Sequence} ({t.Step}); the saga waits on step {s.StepSequence} ({s.CurrentState})";
            s.Ignore(typeof(T).Name, c.Message.Host, $"{t.Step}, attempt {t.Attempt}, step {t.Sequence}", why, clock);
        });

    public static Task RecordUnhandled(this UnhandledEventContext<MigrationState> c, TimeProvider clock)
    {
        c.Saga.Ignore(c.Event.Name, null, null, $"not expected in {c.Saga.CurrentState}", clock);
        return c.Ignore();
    }

    public static bool IsTransient(this StepFailed m) =>
        m.Code is AgentFailureCode.DestinationUnreachable or AgentFailureCode.HypervisorUnavailable or AgentFailureCode.HypervisorError;

    /// <summary>The host (its libvirtd, or a peer it needed) did not answer: the same command can succeed later.</summary>
    public static bool IsUnreachable(this StepFailed m) =>
        m.Code is AgentFailureCode.DestinationUnreachable or AgentFailureCode.HypervisorUnavailable;

    public static bool WithinPatience<T>(this BehaviorContext<MigrationState, T> c, TimeProvider clock, SagaOptions options) where T : class =>
        clock.GetUtcNow().UtcDateTime - (c.Saga.StepStartedAt ?? c.Saga.StateEnteredAt) < options.CompensationPatience;
}
