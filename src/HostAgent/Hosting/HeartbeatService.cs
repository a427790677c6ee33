using System.Collections.Concurrent;
using Drover.Contracts.Hosts;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Hosting;

/// <summary>
/// Publishes <see cref="HostHeartbeat"/> every interval for each host the agent serves: its capacity and its domains.
/// The heartbeat says the agent is alive, so a slow read of the host never holds it back: libvirtd busy with guests that
/// start and migrate (measured in the lab: over 3 s for one read on two cores) would otherwise make the coordinator call a
/// working host Down. The read runs beside the loop; a heartbeat waits for it half an interval, then goes out with the last
/// figures read, and a read that has not answered within <see cref="AgentOptions.HypervisorTimeout"/> reports the hypervisor
/// away (Degraded).
/// </summary>
public sealed partial class HeartbeatService(AgentHosts hosts, AgentLiveness liveness, IBusControl bus, IOptions<AgentOptions> options, ILogger<HeartbeatService> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, HostReading> _readings = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        do
        {
            bool?[] delivered = await Task.WhenAll(hosts.All.Select(h => Beat(h.Hypervisor, stoppingToken)));
            bool attempted = delivered.Any(d => d is not null);
            liveness.Beat(publisherWorks: !attempted || delivered.Any(d => d == true) || bus.CheckHealth().Status != BusHealthStatus.Healthy);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Publishes one host's heartbeat; whether it reached the broker, or null when there was nothing to say yet.</summary>
    private async Task<bool?> Beat(IHypervisor hypervisor, CancellationToken stoppingToken)
    {
        var interval = options.Value.HeartbeatInterval;
        var reading = _readings.GetOrAdd(hypervisor.HostName, _ => new HostReading(hypervisor, this));
        if (await reading.Next(interval / 2, options.Value.HypervisorTimeout, stoppingToken) is not { } heartbeat) return null;
        try
        {
            // A heartbeat is news only for a few intervals: stale ones expire in the broker instead of piling up, and one
            // that cannot be sent in that time is given up. Stamped as it leaves, so that the coordinator orders them as sent.
            var news = interval * 3;
            await bus.PublishWithin(heartbeat with { At = DateTimeOffset.UtcNow }, news, context => context.TimeToLive = news, stoppingToken);
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(hypervisor.HostName, e.Message);   // the broker away: the next tick tries again
            return false;
        }
    }

    /// <summary>One host's reads: at most one at a time, and the figures of the last one that ended.</summary>
    private sealed class HostReading(IHypervisor hypervisor, HeartbeatService service)
    {
        private Task<HostHeartbeat>? _read;
        private long _started;
        private HostHeartbeat? _last;

        /// <summary>The heartbeat to send now: a fresh read when it ends within <paramref name="wait"/>, else the last figures —
        /// marked unavailable when libvirtd has not answered for <paramref name="hung"/> or said it is away; null before the
        /// first read ended and while it is not yet overdue.</summary>
        public async Task<HostHeartbeat?> Next(TimeSpan wait, TimeSpan hung, CancellationToken cancellationToken)
        {
            if (_read is null || _read.IsCompleted)
            {
                _started = System.Diagnostics.Stopwatch.GetTimestamp();
                _read = Task.Run(() => TimedRead(wait), cancellationToken);
            }
            await Task.WhenAny(_read, Task.Delay(wait, cancellationToken));
            if (_read.IsCompletedSuccessfully) return _last = _read.Result;
            if (_read.Exception?.InnerException is { } e)
            {
                if (e is not (LibvirtException or ObjectDisposedException)) service.LogReadFailed(hypervisor.HostName, e);
                return Unavailable(e.Message);
            }
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(_started);
            if (took > hung) return Unavailable($"libvirtd has not answered for {took.TotalSeconds:0} s");
            return _last;   // still reading: the agent is alive, the figures are the last ones read
        }

        private HostHeartbeat TimedRead(TimeSpan slow)
        {
            var read = Read(hypervisor);
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(_started);
            if (took > slow) service.LogSlowRead(hypervisor.HostName, took.TotalMilliseconds, read.Domains.Count);
            return read;
        }

        private HostHeartbeat Unavailable(string why)
        {
            service.LogUnavailable(hypervisor.HostName, why);
            return (_last ?? Unknown(hypervisor)) with { HypervisorAvailable = false, HypervisorError = why };
        }
    }

    private static HostHeartbeat Unknown(IHypervisor hypervisor) => new()
    {
        Host = hypervisor.HostName, MigrationUri = hypervisor.MigrationUri, LibvirtVersion = 0, HypervisorVersion = 0, CpuModel = "",
        Cpus = 0, MemoryTotalKiB = 0, MemoryFreeKiB = 0, SharedStorage = hypervisor.SharedStorage, Domains = [], At = DateTimeOffset.UtcNow,
    };

    public static HostHeartbeat Read(IHypervisor hypervisor)
    {
        var connection = hypervisor.Connection;
        var info = connection.GetHostInfo();
        var domains = connection.ListDomains();
        try
        {
            return new HostHeartbeat
            {
                Host = hypervisor.HostName,
                MigrationUri = hypervisor.MigrationUri,
                LibvirtVersion = connection.LibvirtVersion,
                HypervisorVersion = connection.HypervisorVersion,
                CpuModel = info.CpuModel,
                Cpus = info.Cpus,
                MemoryTotalKiB = info.MemoryKiB,
                MemoryFreeKiB = connection.FreeMemoryKiB,
                SharedStorage = hypervisor.SharedStorage,
                Domains = domains.Select(Summary).OfType<DomainSummary>().ToList(),
                At = DateTimeOffset.UtcNow,
            };
        }
        finally
        {
            foreach (var d in domains) d.Dispose();
        }
    }

    /// <summary>One domain as the heartbeat reports it; null when it vanished while being read (a transient domain that just migrated away).</summary>
    private static DomainSummary? Summary(IHypervisorDomain d)
    {
        try
        {
            return new DomainSummary
            {
                Name = d.Name,
                Uuid = d.Uuid,
                State = d.State,
                VCpus = d.Size.VCpus,
                MemoryKiB = d.Size.MemoryKiB,
                Persistent = d.IsPersistent,
                Disks = Disks(d),
            };
        }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.NoDomain)
        {
            return null;
        }
    }

    private static IReadOnlyList<string> Disks(IHypervisorDomain domain)
    {
        var xml = Steps.DomainXml.Parse(domain.GetXml());
        return [.. xml.FileDisks, .. xml.BlockDisks];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of {Host} not sent: {Reason}")]
    private partial void LogFailed(string host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of {Host}: reading the host took {Milliseconds:0} ms ({Domains} domains)")]
    private partial void LogSlowRead(string host, double milliseconds, int domains);

    [LoggerMessage(Level = LogLevel.Error, Message = "Heartbeat of {Host}: reading the host failed; reported Degraded")]
    private partial void LogReadFailed(string host, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of {Host}: libvirt unavailable ({Reason}); reported Degraded")]
    private partial void LogUnavailable(string host, string reason);
}
