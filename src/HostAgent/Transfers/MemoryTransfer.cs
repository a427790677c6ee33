using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Steps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Transfers;

/// <summary>
/// Runs one libvirt migration from this host: asks libvirt for it (<see cref="TransferPlan"/>) on a dedicated thread,
/// follows the job (<see cref="TransferWatcher"/>), and reports its outcome from the final statistics. An offline migration
/// with storage copy has no libvirt job: its images are streamed (<see cref="DiskStreams"/>). If libvirt already runs a
/// migration job for the domain (the agent restarted mid-transfer), it follows that job instead of starting one.
/// </summary>
public sealed partial class MemoryTransfer(IOptions<AgentOptions> options, TimeProvider clock, ILogger<MemoryTransfer> logger)
{
    /// <param name="host">The source host.</param>
    /// <param name="m">The command.</param>
    /// <param name="publish">Publishes <see cref="MemoryTransferProgressed"/> and <see cref="MigrationEscalated"/> events.</param>
    /// <param name="cancellationToken">Stops watching (not the libvirt job).</param>
    public async Task<MemoryTransferred> Run(AgentHost host, TransferMemory m, Func<object, Task> publish, CancellationToken cancellationToken)
    {
        var connection = host.Hypervisor.Connection;
        using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
            ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"No domain '{m.DomainName}' on {host.Name}");
        if (m.StreamDisks.Count > 0) return await StreamDisks(host, m, domain, publish);

        JobStats? final = null;
        void OnJobCompleted(string name, JobStats stats)
        {
            if (name == domain.Name) final = stats;
        }

        connection.JobCompleted += OnJobCompleted;
        try
        {
            Task migration;
            var watch = new TransferWatcher(m, domain, new ConvergencePolicy(m.Kind, m.Tuning, options.Value.Convergence),
                host.Name, options.Value.ProgressInterval, publish, clock, logger);
            using var watching = host.Transfers.Watching(m.MigrationId, watch);
            bool attached = domain.FindJobStats() is { IsActive: true };
            if (attached)
            {
                LogAttached(m.DomainName, host.Name);
                migration = Task.CompletedTask;
            }
            else if (AlreadyTransferred(m, domain) is { } done)
            {
                LogAlreadyDone(m.DomainName, host.Name);
                return Outcome(host, m, done, stillActive: false);
            }
            else
            {
                TransferPlan.RequireStateFits(m, domain, host.Name);
                var request = TransferPlan.Request(m, options.Value.Tls);
                LogStarting(m.DomainName, host.Name, m.DestinationHost, request.Flags);
                migration = Task.Factory.StartNew(() => domain.Migrate(request), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            var last = await watch.Follow(migration, cancellationToken);
            try
            {
                await migration;
            }
            catch (LibvirtException e)
            {
                if (watch.SuspendedHere && domain.State == DomainRunState.Paused) domain.Resume();
                if (watch.GaveUp is { } reason)
                    throw new StepRefusedException(AgentFailureCode.DidNotConverge, reason);
                throw host.Transfers.TakeAbortRequested(m.MigrationId)
                    ? new StepRefusedException(AgentFailureCode.Aborted, $"Migration of '{m.DomainName}' aborted: {e.LibvirtMessage}")
                    : e;
            }

            var stats = final ?? domain.FindJobStats(completed: true) ?? last;
            bool stillActive = StillActive(domain);
            if (attached && stillActive && m.Kind != MigrationKind.Offline)
                throw new StepRefusedException(AgentFailureCode.HypervisorError,
                    $"The migration job of '{m.DomainName}' that was running when the agent started ended with the domain still on {host.Name}");
            return Outcome(host, m, stats, stillActive);
        }
        finally
        {
            connection.JobCompleted -= OnJobCompleted;
        }
    }

    /// <summary>An offline copy: the destination already has the definition (its definition step); only the images move.</summary>
    private async Task<MemoryTransferred> StreamDisks(AgentHost host, TransferMemory m, IHypervisorDomain domain, Func<object, Task> publish)
    {
        TransferPlan.RequireStateFits(m, domain, host.Name);
        long started = clock.GetTimestamp();
        var (images, bytes) = await new DiskStreams(host, m, options.Value.ProgressInterval, publish, clock, logger).Send(host.Hypervisor.Connection);
        return new MemoryTransferred
        {
            MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, DowntimeMs = 0, Iterations = 0,
            DataTransferredBytes = bytes, DurationMs = (long)clock.GetElapsedTime(started).TotalMilliseconds,
            SourceStillActive = StillActive(domain), StreamedDisks = images,
        };
    }

    private static MemoryTransferred Outcome(AgentHost host, TransferMemory m, JobStats? stats, bool stillActive) => new()
    {
        MigrationId = m.MigrationId,
        Ticket = m.Ticket,
        Host = host.Name,
        // libvirt counts only the final stop; a non-live VM is paused for the whole job.
        DowntimeMs = m.Kind == MigrationKind.NonLive ? Math.Max(stats?.DowntimeMs ?? 0, stats?.ElapsedMs ?? 0) : stats?.DowntimeMs ?? 0,
        DataTransferredBytes = stats?.DataProcessedBytes ?? 0,
        Iterations = stats?.Iteration ?? 0,
        DurationMs = stats?.ElapsedMs ?? 0,
        SourceStillActive = stillActive,
    };

    /// <summary>A redelivered command after the move: the domain is no longer active here and its last job completed.</summary>
    private static JobStats? AlreadyTransferred(TransferMemory m, IHypervisorDomain domain) =>
        m.Kind != MigrationKind.Offline && !domain.State.IsActive() && domain.FindJobStats(completed: true) is { Type: JobType.Completed } done ? done : null;

    private static bool StillActive(IHypervisorDomain domain)
    {
        try { return domain.State.IsActive(); }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain) { return false; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrating {Domain} from {Host} to {Destination} (flags {Flags})")]
    private partial void LogStarting(string domain, string host, string destination, MigrationFlags flags);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Domain} already left {Host}: reporting the completed transfer again")]
    private partial void LogAlreadyDone(string domain, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Domain} on {Host} already has a migration job running: following it")]
    private partial void LogAttached(string domain, string host);
}
