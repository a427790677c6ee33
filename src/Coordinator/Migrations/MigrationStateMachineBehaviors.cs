using System.Text.Json;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>What the migration saga does at each step. No I/O: it records, sends and publishes.</summary>
public static class MigrationStateMachineBehaviors
{
    public static EventActivityBinder<MigrationState, MigrateVm> Record(this EventActivityBinder<MigrationState, MigrateVm> b, TimeProvider clock) =>
        b.Then(c =>
        {
            var (s, m) = (c.Saga, c.Message);
            s.Vm = m.Vm ?? "";
            s.SourceHost = m.SourceHost ?? "";
            s.DestinationHost = m.DestinationHost;
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
            s.TraceParent = System.Diagnostics.Activity.Current?.Id;
            s.CreatedAt = clock.GetUtcNow().UtcDateTime;
            s.StateEnteredAt = s.CreatedAt;
        });

    public static EventActivityBinder<MigrationState, AdmitMigration> Record(this EventActivityBinder<MigrationState, AdmitMigration> b) =>
        b.Then(c =>
        {
            c.Saga.DestinationHost = c.Message.DestinationHost;
            c.Saga.SourceMigrationUri = c.Message.SourceMigrationUri;
            c.Saga.DestinationMigrationUri = c.Message.DestinationMigrationUri;
            c.Saga.PlacementReason = c.Message.PlacementReason;
            c.Saga.QueueReason = null;
        });

    public static EventActivityBinder<MigrationState, SourceValidated> Record(this EventActivityBinder<MigrationState, SourceValidated> b) =>
        b.Then(c =>
        {
            var (s, m) = (c.Saga, c.Message);
            s.DomainName = m.DomainName;
            s.DomainUuid = m.DomainUuid;
            s.WasActive = m.WasActive;
            s.WasRunning = m.WasRunning;
            s.MigratableXml = m.MigratableXml;
            s.MemoryKiB = m.MemoryKiB;
            s.VCpus = m.VCpus;
            s.SourceLibvirtVersion = m.LibvirtVersion;
            s.SourceHypervisorVersion = m.HypervisorVersion;
            s.ProbesJson = JsonSerializer.Serialize(m.Probes);
        });

    public static EventActivityBinder<MigrationState, MemoryTransferProgressed> Record(this EventActivityBinder<MigrationState, MemoryTransferProgressed> b, TimeProvider clock, SagaOptions options) =>
        b.Then(c =>
        {
            var (s, m) = (c.Saga, c.Message);
            s.DataProcessedBytes = m.DataProcessedBytes;
            s.DataRemainingBytes = m.DataRemainingBytes;
            s.DataTotalBytes = m.DataTotalBytes;
            s.DirtyRateBytesPerSecond = m.DirtyRateBytesPerSecond;
            s.BandwidthBytesPerSecond = m.BandwidthBytesPerSecond;
            s.Iteration = m.Iteration;
            s.PercentComplete = TransferProgress.Percent(s.PercentComplete, m.DataProcessedBytes, m.DataRemainingBytes);
            s.EtaSeconds = TransferProgress.EtaSeconds(m.DataRemainingBytes, m.BandwidthBytesPerSecond, m.DirtyRateBytesPerSecond);
            s.StepDeadline = clock.GetUtcNow().UtcDateTime + options.TransferSilenceTimeout;   // progress proves the transfer is alive
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
        b.Then(c => c.Saga.FailureReason = reason(c.Message));

    /// <summary>Sends the commands the current state waits on and sets its deadline.</summary>
    public static EventActivityBinder<MigrationState, T> SendStepCommands<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock, SagaOptions options) where T : class =>
        b.ThenAsync(c => c.SendStepCommands(clock, options));

    public static async Task SendStepCommands(this BehaviorContext<MigrationState> c, TimeProvider clock, SagaOptions options)
    {
        c.Saga.StepDeadline = clock.GetUtcNow().UtcDateTime + StepCommands.Timeout(c.Saga, options);
        foreach (var (host, command) in StepCommands.For(c.Saga))
            await c.Send(StepCommands.AgentQueue(host), command);
    }

    public static EventActivityBinder<MigrationState, T> RemoveProbes<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.If(c => c.Saga.ProbesJson != "[]", x => x.ThenAsync(c => c.Send(StepCommands.AgentQueue(c.Saga.SourceHost), StepCommands.RemoveProbes(c.Saga))));

    public static EventActivityBinder<MigrationState, T> AbortTransfer<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.ThenAsync(c => c.Send(StepCommands.AgentQueue(c.Saga.SourceHost), new AbortTransfer { MigrationId = c.Saga.CorrelationId, DomainName = c.Saga.DomainName ?? c.Saga.Vm }));

    public static EventActivityBinder<MigrationState, T> PublishRejected<T>(this EventActivityBinder<MigrationState, T> b, Func<BehaviorContext<MigrationState, T>, string?> field) where T : class =>
        b.PublishAsync(c => Task.FromResult(Outcomes.Rejected(c.Saga, field(c))));

    public static EventActivityBinder<MigrationState, T> PublishNeedsAttention<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.PublishAsync(c => Task.FromResult(Outcomes.NeedsAttention(c.Saga)));

    public static EventActivityBinder<MigrationState, T> PublishCompleted<T>(this EventActivityBinder<MigrationState, T> b, TimeProvider clock) where T : class =>
        b.PublishAsync(c => Task.FromResult(Outcomes.Completed(c.Saga, clock)));

    public static EventActivityBinder<MigrationState, T> PublishRolledBack<T>(this EventActivityBinder<MigrationState, T> b) where T : class =>
        b.PublishAsync(c => Task.FromResult(Outcomes.RolledBack(c.Saga)));

    /// <summary>Both sides undone: the storage probes removed, then Cancelled when an operator asked for it, RolledBack otherwise.</summary>
    public static EventActivityBinder<MigrationState, T> FinishRollback<T>(this EventActivityBinder<MigrationState, T> b, MigrationStateMachine machine) where T : class =>
        b.RemoveProbes().PublishRolledBack().IfElse(c => c.Saga.CancelRequested, x => x.TransitionTo(machine.Cancelled), x => x.TransitionTo(machine.RolledBack));

    public static EventActivityBinder<MigrationState, CancelMigration> RefuseCancel(this EventActivityBinder<MigrationState, CancelMigration> b) =>
        b.PublishAsync(c => Task.FromResult(new CancellationRefused
        {
            MigrationId = c.Saga.CorrelationId,
            Reason = $"Migration is {c.Saga.CurrentState}: " + (c.Saga.CurrentState is "CuttingOver" or "CleaningUp"
                ? "the VM already runs on the destination; migrate it back instead"
                : "it has finished"),
        }));

    public static bool IsStep<T>(this BehaviorContext<MigrationState, StepFailed> c) => c.Message.Step == typeof(T).Name;
}
