using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Steps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Transfers;

/// <summary>
/// Runs one libvirt migration from this host: picks the flags for the kind, calls virDomainMigrateToURI3 on a
/// dedicated thread, polls the job for progress, and reads the final statistics. If libvirt already runs a
/// migration job for the domain (the agent restarted mid-transfer), it follows that job instead of starting one.
/// </summary>
public sealed partial class MemoryTransfer(Hypervisor hypervisor, TransferRegistry registry, IOptions<AgentOptions> options, ILogger<MemoryTransfer> logger)
{
    /// <param name="m">The command.</param>
    /// <param name="publish">Publishes <see cref="MemoryTransferProgressed"/> and <see cref="MigrationEscalated"/> events.</param>
    /// <param name="cancellationToken">Stops watching (not the libvirt job).</param>
    public async Task<MemoryTransferred> Run(TransferMemory m, Func<object, Task> publish, CancellationToken cancellationToken)
    {
        var connection = hypervisor.Connection;
        using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
            ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"No domain '{m.DomainName}' on {hypervisor.HostName}");

        JobStats? final = null;
        void OnJobCompleted(string name, JobStats stats)
        {
            if (name == domain.Name) final = stats;
        }

        connection.JobCompleted += OnJobCompleted;
        try
        {
            Task migration;
            var watch = new TransferWatch(new ConvergencePolicy(m.Kind, m.Tuning, options.Value.Convergence));
            bool attached = SafeJobStats(domain) is { IsActive: true };
            if (attached)
            {
                LogAttached(m.DomainName, hypervisor.HostName);
                migration = Task.CompletedTask;
            }
            else if (AlreadyTransferred(m, domain) is { } done)
            {
                LogAlreadyDone(m.DomainName, hypervisor.HostName);
                return Outcome(m, done, stillActive: false);
            }
            else
            {
                RequireStateFits(m, domain);
                var request = BuildRequest(m);
                LogStarting(m.DomainName, hypervisor.HostName, m.DestinationHost, request.Flags);
                migration = Task.Factory.StartNew(() => domain.Migrate(request), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            var last = await Watch(m, domain, migration, watch, publish, cancellationToken);
            try
            {
                await migration;
            }
            catch (LibvirtException e)
            {
                if (watch.SuspendedHere && domain.State == DomainState.Paused) domain.Resume();
                if (watch.GaveUp is { } reason)
                    throw new StepRefusedException(AgentFailureCode.DidNotConverge, reason);
                throw registry.TakeAbortRequested(m.MigrationId)
                    ? new StepRefusedException(AgentFailureCode.Aborted, $"Migration of '{m.DomainName}' aborted: {e.LibvirtMessage}")
                    : e;
            }

            var stats = final ?? SafeJobStats(domain, completed: true) ?? last;
            bool stillActive = StillActive(domain);
            if (attached && stillActive && m.Kind != MigrationKind.Offline)
                throw new StepRefusedException(AgentFailureCode.HypervisorError,
                    $"The migration job of '{m.DomainName}' that was running when the agent started ended with the domain still on {hypervisor.HostName}");
            return Outcome(m, stats, stillActive);
        }
        finally
        {
            connection.JobCompleted -= OnJobCompleted;
        }
    }

    private MemoryTransferred Outcome(TransferMemory m, JobStats? stats, bool stillActive) => new()
    {
        MigrationId = m.MigrationId,
        Ticket = m.Ticket,
        Host = hypervisor.HostName,
        // libvirt counts only the final stop; a non-live VM is paused for the whole job.
        DowntimeMs = m.Kind == MigrationKind.NonLive ? Math.Max(stats?.DowntimeMs ?? 0, stats?.ElapsedMs ?? 0) : stats?.DowntimeMs ?? 0,
        DataTransferredBytes = stats?.DataProcessedBytes ?? 0,
        Iterations = stats?.Iteration ?? 0,
        DurationMs = stats?.ElapsedMs ?? 0,
        SourceStillActive = stillActive,
    };

    /// <summary>A redelivered command after the move: the domain is no longer active here and its last job completed.</summary>
    private static JobStats? AlreadyTransferred(TransferMemory m, LibvirtDomain domain) =>
        m.Kind != MigrationKind.Offline && !domain.State.IsActive() && SafeJobStats(domain, completed: true) is { Type: 3 } done ? done : null;

    /// <summary>Checks the domain's state fits the kind. A non-live migration is libvirt's own: without the live flag it
    /// pauses the VM for the copy and resumes it on the destination inside its migration protocol, so a destination that
    /// cannot resume hands the VM back to the source (measured: a VM that arrives paused and never ran cannot be moved
    /// back on QEMU 7.2).</summary>
    private void RequireStateFits(TransferMemory m, LibvirtDomain domain)
    {
        var state = domain.State;
        if (m.Kind == MigrationKind.Offline && state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{m.DomainName}' is {state.ToWireName()}: offline migration needs it shut off");
        if (m.Kind != MigrationKind.Offline && !state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{m.DomainName}' is {state.ToWireName()} on {hypervisor.HostName}: nothing to transfer (already moved, or stopped)");
    }

    private static MigrationRequest BuildRequest(TransferMemory m)
    {
        var flags = MigrationFlags.PeerToPeer;
        flags |= m.Kind switch
        {
            MigrationKind.Live => MigrationFlags.Live,
            MigrationKind.NonLive => MigrationFlags.None,
            _ => MigrationFlags.Offline | MigrationFlags.PersistDestination,
        };
        if (m.Kind != MigrationKind.Offline)
        {
            // libvirt cannot tell that a plain directory is shared; our probes proved it, so say it is safe.
            if (m.StorageVerified) flags |= MigrationFlags.Unsafe;
            if (m.Tuning.CopyStorage) flags |= MigrationFlags.NonSharedDisk;
            if (m.Tuning.AutoConverge) flags |= MigrationFlags.AutoConverge;
            if (m.Tuning.PostCopyAllowed && m.Kind == MigrationKind.Live) flags |= MigrationFlags.PostCopy;
        }
        return new MigrationRequest
        {
            DestinationUri = m.DestinationMigrationUri,
            Flags = flags,
            BandwidthMiBps = m.Tuning.BandwidthMiBps is > 0 and var b ? (ulong)b : null,
        };
    }

    /// <summary>What the watch did to the job: whether it suspended the VM, and why it gave up.</summary>
    private sealed class TransferWatch(ConvergencePolicy policy)
    {
        public ConvergencePolicy Policy { get; } = policy;
        public long MaxDowntimeSetMs { get; set; }
        public bool SuspendedHere { get; set; }
        public string? GaveUp { get; set; }
    }

    /// <summary>
    /// Polls the job until it ends: feeds each reading to the convergence policy (a few times per iteration, so it sees
    /// the data left just after each pass begins), acts on its steps, publishes progress about once per progress
    /// interval, and returns the last statistics seen.
    /// </summary>
    private async Task<JobStats?> Watch(TransferMemory m, LibvirtDomain domain, Task migration, TransferWatch watch, Func<object, Task> publish, CancellationToken cancellationToken)
    {
        JobStats? last = null;
        publish = Reporting(publish);
        var interval = options.Value.ProgressInterval;
        var poll = TimeSpan.FromTicks(Math.Min(interval.Ticks, PolicyPoll.Ticks));
        var nextProgress = DateTimeOffset.MinValue;
        while (true)
        {
            var stats = SafeJobStats(domain);
            if (stats is { IsActive: true })
            {
                last = stats;
                if (m.Kind == MigrationKind.Live && watch.MaxDowntimeSetMs != watch.Policy.MaxDowntimeMs)
                {
                    try { ApplyMaxDowntime(domain, watch); }
                    catch (LibvirtException) { }   // the job is not ready for it yet: the next reading tries again
                }
                if (watch.Policy.Observe(stats.Iteration, stats.DataRemainingBytes) is { } step)
                    await Escalate(m, domain, watch, step, stats, publish);
                if (DateTimeOffset.UtcNow >= nextProgress)
                {
                    nextProgress = DateTimeOffset.UtcNow + interval;
                    await publish(ToProgress(m, stats));
                }
            }
            else if (migration.IsCompleted)
            {
                return last;
            }
            var tick = Task.Delay(poll, cancellationToken);
            await (migration.IsCompleted ? tick : Task.WhenAny(migration, tick));
        }
    }

    /// <summary>Progress and escalations are news, not the outcome: a broker away for a moment must not end the watch of a
    /// job that goes on in libvirt (the next report, or the outcome, follows).</summary>
    private Func<object, Task> Reporting(Func<object, Task> publish) => async e =>
    {
        try { await publish(e); }
        catch (Exception ex) { LogReportLost(e.GetType().Name, ex.Message); }   // a publish given up (timed out) included
    };

    /// <summary>How often the policy reads the job: several times per pre-copy iteration.</summary>
    private static readonly TimeSpan PolicyPoll = TimeSpan.FromMilliseconds(200);

    private async Task Escalate(TransferMemory m, LibvirtDomain domain, TransferWatch watch, ConvergenceStep step, JobStats stats, Func<object, Task> publish)
    {
        LogEscalating(m.DomainName, step.Action, step.Reason);
        try
        {
            switch (step.Action)
            {
                case ConvergenceAction.RaiseMaxDowntime:
                    ApplyMaxDowntime(domain, watch);
                    break;
                case ConvergenceAction.StartPostCopy:
                    domain.StartPostCopy();
                    break;
                case ConvergenceAction.SuspendForNonLive:
                    domain.Suspend();
                    watch.SuspendedHere = true;
                    break;
                case ConvergenceAction.Abort:
                    watch.GaveUp = step.Reason;
                    domain.AbortJob();
                    break;
            }
        }
        catch (LibvirtException e)
        {
            // The job may have just finished (the step came too late) — its outcome decides; log and go on.
            LogEscalationFailed(m.DomainName, step.Action, e.LibvirtMessage);
            return;
        }
        await publish(new MigrationEscalated
        {
            MigrationId = m.MigrationId,
            Ticket = m.Ticket,
            Host = hypervisor.HostName,
            Action = step.Action,
            Reason = step.Reason,
            MaxDowntimeMs = step.MaxDowntimeMs,
            Iteration = stats.Iteration,
            DataRemainingBytes = stats.DataRemainingBytes,
            At = DateTimeOffset.UtcNow,
        });
    }

    /// <summary>The job's maximum downtime follows the policy (its starting value, then each raise).</summary>
    private static void ApplyMaxDowntime(LibvirtDomain domain, TransferWatch watch)
    {
        domain.SetMaxDowntime(TimeSpan.FromMilliseconds(watch.Policy.MaxDowntimeMs));
        watch.MaxDowntimeSetMs = watch.Policy.MaxDowntimeMs;
    }

    private MemoryTransferProgressed ToProgress(TransferMemory m, JobStats s) => new()
    {
        MigrationId = m.MigrationId,
        Ticket = m.Ticket,
        Host = hypervisor.HostName,
        DataProcessedBytes = s.DataProcessedBytes,
        DataRemainingBytes = s.DataRemainingBytes,
        DataTotalBytes = s.DataTotalBytes,
        DirtyRateBytesPerSecond = s.DirtyRatePagesPerSecond * s.PageSizeBytes,
        BandwidthBytesPerSecond = s.MemoryBytesPerSecond,
        Iteration = s.Iteration,
        ElapsedMs = s.ElapsedMs,
        At = DateTimeOffset.UtcNow,
    };

    private static JobStats? SafeJobStats(LibvirtDomain domain, bool completed = false)
    {
        try { return domain.GetJobStats(completed); }
        catch (LibvirtException) { return null; }   // the domain left (transient source) or has no job
    }

    private static bool StillActive(LibvirtDomain domain)
    {
        try { return domain.State.IsActive(); }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain) { return false; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrating {Domain} from {Host} to {Destination} (flags {Flags})")]
    private partial void LogStarting(string domain, string host, string destination, MigrationFlags flags);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Domain} already left {Host}: reporting the completed transfer again")]
    private partial void LogAlreadyDone(string domain, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Domain} does not converge: {Action}. {Reason}")]
    private partial void LogEscalating(string domain, ConvergenceAction action, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Domain}: {Action} failed: {Error}")]
    private partial void LogEscalationFailed(string domain, ConvergenceAction action, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} not published ({Reason}); the transfer goes on")]
    private partial void LogReportLost(string @event, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Domain} on {Host} already has a migration job running: following it")]
    private partial void LogAttached(string domain, string host);
}
