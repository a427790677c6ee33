using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Transfers;

/// <summary>
/// Watches one transfer's libvirt job until it ends: feeds each reading to the convergence policy (a few times per
/// iteration, so it sees the data left just after each pass begins), climbs the ladder when the policy says so, and
/// reports progress once per progress interval (the first one interval after the start). Remembers what it did to the job.
/// </summary>
internal sealed partial class TransferWatcher(
    TransferMemory m, IHypervisorDomain domain, ConvergencePolicy policy, string host, TimeSpan progressInterval, Func<object, Task> publish, TimeProvider clock, ILogger logger)
{
    /// <summary>How often the policy reads the job: several times per pre-copy iteration.</summary>
    private static readonly TimeSpan PolicyPoll = TimeSpan.FromMilliseconds(200);

    private long _maxDowntimeSetMs;
    private readonly System.Collections.Concurrent.ConcurrentQueue<AdjustTransfer> _adjustments = new();

    /// <summary>The attempt whose transfer this watch follows.</summary>
    public int Attempt => m.Ticket.Attempt;

    /// <summary>An operator's change, applied at the watch's next reading of the job (the watch alone touches the job).</summary>
    public void Adjust(AdjustTransfer adjustment) => _adjustments.Enqueue(adjustment);

    /// <summary>Whether the watch suspended the VM so that the copy finishes (the non-live rung).</summary>
    public bool SuspendedHere { get; private set; }

    /// <summary>Why the watch aborted the job, when it gave up.</summary>
    public string? GaveUp { get; private set; }

    /// <summary>Polls the job until <paramref name="migration"/> has ended and no job is left; returns the last statistics seen.</summary>
    public async Task<JobStats?> Follow(Task migration, CancellationToken cancellationToken)
    {
        JobStats? last = null;
        var poll = TimeSpan.FromTicks(Math.Min(progressInterval.Ticks, PolicyPoll.Ticks));
        // The first report after one interval, as every later one: at the start there is no progress to tell, and a transfer
        // that ends sooner is told by its outcome alone (one saga turn fewer per migration: bench/control-plane.sh).
        var nextProgress = clock.GetUtcNow() + progressInterval;
        while (true)
        {
            var stats = domain.FindJobStats();
            if (stats is { IsActive: true })
            {
                last = stats;
                // Not before the copy has begun: in a lab run a bandwidth change made as the job started (nothing sent yet)
                // did not stick — libvirt sets the request's own bandwidth when QEMU starts migrating — while one made once
                // data flows does.
                if (stats.DataProcessedBytes > 0)
                    while (_adjustments.TryDequeue(out var adjustment)) await Apply(adjustment, stats);
                if (m.Kind == MigrationKind.Live && _maxDowntimeSetMs != policy.MaxDowntimeMs)
                {
                    try { ApplyMaxDowntime(); }
                    catch (LibvirtException) { }   // the job is not ready for it yet: the next reading tries again
                }
                if (policy.Observe(stats.Iteration, stats.DataRemainingBytes) is { } step)
                    await Escalate(step, stats);
                if (clock.GetUtcNow() >= nextProgress)
                {
                    nextProgress = clock.GetUtcNow() + progressInterval;
                    await Report(Progress(stats));
                }
            }
            else if (migration.IsCompleted)
            {
                return last;
            }
            var tick = Task.Delay(poll, clock, cancellationToken);
            await (migration.IsCompleted ? tick : Task.WhenAny(migration, tick));
        }
    }

    private async Task Apply(AdjustTransfer a, JobStats stats)
    {
        string by = a.RequestedBy is { Length: > 0 } who ? $" ({who})" : "";
        if (a.BandwidthMiBps is { } mibps)
            await Escalate(new ConvergenceStep(ConvergenceAction.SetBandwidth, policy.MaxDowntimeMs, $"bandwidth limit set to {mibps} MiB/s by an operator{by}", mibps), stats);
        if (a.MaxDowntimeMs is { } ms && m.Kind == MigrationKind.Live)
        {
            var step = policy.SetMaxDowntime(ms);
            await Escalate(step with { Reason = step.Reason + by }, stats);
        }
        if (a.ForceComplete)
        {
            if (policy.ForceComplete() is { } step) await Escalate(step with { Reason = step.Reason + by }, stats);
            else LogNothingToForce(m.DomainName);
        }
    }

    private async Task Escalate(ConvergenceStep step, JobStats stats)
    {
        LogEscalating(m.DomainName, step.Action, step.Reason);
        try
        {
            switch (step.Action)
            {
                case ConvergenceAction.RaiseMaxDowntime or ConvergenceAction.SetMaxDowntime:
                    ApplyMaxDowntime();
                    break;
                case ConvergenceAction.SetBandwidth:
                    domain.SetMaxSpeed((ulong)step.BandwidthMiBps!.Value);
                    break;
                case ConvergenceAction.StartPostCopy:
                    domain.StartPostCopy();
                    break;
                case ConvergenceAction.SuspendForNonLive:
                    domain.Suspend();
                    SuspendedHere = true;
                    break;
                case ConvergenceAction.Abort:
                    GaveUp = step.Reason;
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
        await Report(new MigrationEscalated
        {
            MigrationId = m.MigrationId,
            Ticket = m.Ticket,
            Host = host,
            Action = step.Action,
            Reason = step.Reason,
            MaxDowntimeMs = step.MaxDowntimeMs,
            Iteration = stats.Iteration,
            DataRemainingBytes = stats.DataRemainingBytes,
            At = clock.GetUtcNow(),
        });
    }

    /// <summary>The job's maximum downtime follows the policy (its starting value, then each raise).</summary>
    private void ApplyMaxDowntime()
    {
        domain.SetMaxDowntime(TimeSpan.FromMilliseconds(policy.MaxDowntimeMs));
        _maxDowntimeSetMs = policy.MaxDowntimeMs;
    }

    /// <summary>Progress and escalations are news, not the outcome: a broker away for a moment must not end the watch of a
    /// job that goes on in libvirt (the next report, or the outcome, follows).</summary>
    private async Task Report(object e)
    {
        try { await publish(e); }
        catch (Exception ex) { LogReportLost(e.GetType().Name, ex.Message); }   // a publish given up (timed out) included
    }

    private MemoryTransferProgressed Progress(JobStats s) => new()
    {
        MigrationId = m.MigrationId,
        Ticket = m.Ticket,
        Host = host,
        DataProcessedBytes = s.DataProcessedBytes,
        DataRemainingBytes = s.DataRemainingBytes,
        DataTotalBytes = s.DataTotalBytes,
        DirtyRateBytesPerSecond = s.DirtyRatePagesPerSecond * s.PageSizeBytes,
        BandwidthBytesPerSecond = s.MemoryBytesPerSecond,
        Iteration = s.Iteration,
        ElapsedMs = s.ElapsedMs,
        At = clock.GetUtcNow(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "{Domain}: nothing left to force (already post-copy, paused, or not live)")]
    private partial void LogNothingToForce(string domain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Domain}: {Action}. {Reason}")]
    private partial void LogEscalating(string domain, ConvergenceAction action, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Domain}: {Action} failed: {Error}")]
    private partial void LogEscalationFailed(string domain, ConvergenceAction action, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} not published ({Reason}); the transfer goes on")]
    private partial void LogReportLost(string @event, string reason);
}
