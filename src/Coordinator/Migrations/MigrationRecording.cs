using Drover.Api;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>What the migration saga writes down: the request, the agents' reports and facts, failures and their reasons, and the events it does not act on.</summary>
public static class MigrationRecording
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
            s.Probes = [.. m.Probes];
            s.CopiedDisks = [.. m.CopiedDisks];
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
            c.Saga.Escalations = [.. c.Saga.Escalations, new Escalation(m.Action.ToString(), m.Reason, m.MaxDowntimeMs, m.Iteration, m.DataRemainingBytes, m.At)];
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
            if (c.Message.StreamedDisks.Count > 0) c.Saga.CopiedDisks = [.. c.Message.StreamedDisks];   // with the digests the destination checks
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

    public static EventActivityBinder<MigrationState, DomainFacts> RecordFacts(this EventActivityBinder<MigrationState, DomainFacts> b) =>
        b.Then(c =>
        {
            var (s, facts) = (c.Saga, c.Message);
            if (facts.Host == s.SourceHost)
            {
                s.SourceFacts = facts.State?.ToWireName() ?? FactsVerdict.Absent;
                s.SourceTransferInProgress = facts.TransferInProgress;
            }
            else if (facts.Host == s.DestinationHost)
            {
                s.DestinationFacts = facts.State?.ToWireName() ?? FactsVerdict.Absent;
                s.DestinationMark = facts.MigrationMark;
            }
            s.FactsVerdict = s.SourceFacts is not null && s.DestinationFacts is not null ? FactsVerdict.Decide(s).ToString() : null;
        });

    /// <summary>Forgets what the hosts said: before they are asked (again, when libvirt was between states).</summary>
    public static EventActivityBinder<MigrationState, T> ForgetFacts<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.Then(c =>
        {
            c.Saga.SourceFacts = c.Saga.DestinationFacts = null;
            c.Saga.SourceTransferInProgress = false;
            c.Saga.DestinationMark = null;
        });

    public static EventActivityBinder<MigrationState, StepFailed> CleanUpFailed(this EventActivityBinder<MigrationState, StepFailed> b) =>
        b.Then(c =>
        {
            c.Saga.Warning = $"Clean-up on {c.Message.Host} failed: {c.Message.Reason}";
        });

    /// <summary>The VM is in place on the destination; a final shape it could not be given there is a warning.</summary>
    public static EventActivityBinder<MigrationState, CutOverCompleted> Record(this EventActivityBinder<MigrationState, CutOverCompleted> b) =>
        b.Then(c =>
        {
            if (c.Message.CleanUpWarning is { } warning) c.Saga.Warning = warning;
        });

    public static EventActivityBinder<MigrationState, T> RecordIgnored<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock) where T : class, IStepEvent =>
        b.Then(c =>
        {
            var s = c.Saga;
            var t = c.Message.Ticket;
            string why = c.Message is StepExpired expired ? $"{expired.Command} reached the agent after its expiry {t.NotAfter:O}; libvirt was not touched"
                : MigrationStatuses.IsFinal(s.CurrentState) ? $"the migration had ended ({s.CurrentState})"
                : t.Attempt != s.Attempt ? $"it answers attempt {t.Attempt}; attempt {s.Attempt} is under way"
                : $"it answers step {t.Sequence} ({t.Step}); the saga waits on step {s.StepSequence} ({s.CurrentState})";
            s.Ignore(typeof(T).Name, c.Message.Host, $"{t.Step}, attempt {t.Attempt}, step {t.Sequence}", why, clock);
        }).ThenAsync(c => c.RetellOutcome(clock));

    public static async Task RecordUnhandled(this UnhandledEventContext<MigrationState> c, TimeProvider clock)
    {
        c.Saga.Ignore(c.Event.Name, null, null, $"not expected in {c.Saga.CurrentState}", clock);
        // A request repeated for a migration that has ended (a requester that heard nothing) is answered with the outcome too.
        await c.RetellOutcome(clock, repeatedRequest: c.TryGetMessage<MigrateVm>(out _));
        await c.Ignore();
    }
}
