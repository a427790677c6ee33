using Drover.Contracts.Hosts;
using Drover.HostAgent.Libvirt;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Hosting;

/// <summary>Publishes <see cref="HostHeartbeat"/> every interval: the host's capacity and its domains.</summary>
public sealed partial class HeartbeatService(Hypervisor hypervisor, AgentLiveness liveness, IBus bus, IOptions<AgentOptions> options, ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        do
        {
            try
            {
                // A heartbeat is news only for a few intervals: stale ones expire in the broker instead of piling up, and one
                // that cannot be sent in that time is given up.
                var news = options.Value.HeartbeatInterval * 3;
                await bus.PublishWithin(ReadOrDegraded(), news, context => context.TimeToLive = news, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(hypervisor.HostName, e.Message);   // the broker away: the next tick tries again
            }
            liveness.Beat();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private HostHeartbeat? _last;

    /// <summary>The host as libvirt describes it; when libvirtd does not answer, the last description marked unavailable, so
    /// that the coordinator sees the agent alive and the host Degraded rather than Down.</summary>
    private HostHeartbeat ReadOrDegraded()
    {
        try
        {
            return _last = Read();
        }
        catch (Exception e) when (e is LibvirtException or ObjectDisposedException)
        {
            LogUnavailable(hypervisor.HostName, e.Message);
            return (_last ?? Unknown()) with { HypervisorAvailable = false, HypervisorError = e.Message, At = DateTimeOffset.UtcNow };
        }
    }

    private HostHeartbeat Unknown() => new()
    {
        Host = hypervisor.HostName, MigrationUri = hypervisor.MigrationUri, LibvirtVersion = 0, HypervisorVersion = 0, CpuModel = "",
        Cpus = 0, MemoryTotalKiB = 0, MemoryFreeKiB = 0, SharedStorage = options.Value.SharedStorage, Domains = [], At = DateTimeOffset.UtcNow,
    };

    public HostHeartbeat Read()
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
                SharedStorage = options.Value.SharedStorage,
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
    private static DomainSummary? Summary(LibvirtDomain d)
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

    private static IReadOnlyList<string> Disks(LibvirtDomain domain)
    {
        var xml = Steps.DomainXml.Parse(domain.GetXml());
        return [.. xml.FileDisks, .. xml.BlockDisks];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of {Host} not sent: {Reason}")]
    private partial void LogFailed(string host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of {Host}: libvirt unavailable ({Reason}); reported Degraded")]
    private partial void LogUnavailable(string host, string reason);
}
