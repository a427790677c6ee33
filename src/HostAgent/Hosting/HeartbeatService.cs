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

/// <summary>Publishes <see cref="HostHeartbeat"/> every interval for each host the agent serves: its capacity and its domains.</summary>
public sealed partial class HeartbeatService(AgentHosts hosts, AgentLiveness liveness, IBusControl bus, IOptions<AgentOptions> options, ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        do
        {
            bool[] delivered = await Task.WhenAll(hosts.All.Select(h => Beat(h.Hypervisor, stoppingToken)));
            liveness.Beat(publisherWorks: delivered.Any(d => d) || bus.CheckHealth().Status != BusHealthStatus.Healthy);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Publishes one host's heartbeat; whether it reached the broker.</summary>
    private async Task<bool> Beat(IHypervisor hypervisor, CancellationToken stoppingToken)
    {
        try
        {
            // A heartbeat is news only for a few intervals: stale ones expire in the broker instead of piling up, and one
            // that cannot be sent in that time is given up.
            var news = options.Value.HeartbeatInterval * 3;
            await bus.PublishWithin(ReadOrDegraded(hypervisor), news, context => context.TimeToLive = news, stoppingToken);
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(hypervisor.HostName, e.Message);   // the broker away: the next tick tries again
            return false;
        }
    }

    private readonly ConcurrentDictionary<string, HostHeartbeat> _last = new();

    /// <summary>The host as its hypervisor describes it; when libvirtd does not answer, the last description marked unavailable,
    /// so that the coordinator sees the agent alive and the host Degraded rather than Down.</summary>
    private HostHeartbeat ReadOrDegraded(IHypervisor hypervisor)
    {
        try
        {
            return _last[hypervisor.HostName] = Read(hypervisor);
        }
        catch (Exception e) when (e is LibvirtException or ObjectDisposedException)
        {
            LogUnavailable(hypervisor.HostName, e.Message);
            var last = _last.TryGetValue(hypervisor.HostName, out var known) ? known : Unknown(hypervisor);
            return last with { HypervisorAvailable = false, HypervisorError = e.Message, At = DateTimeOffset.UtcNow };
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of {Host}: libvirt unavailable ({Reason}); reported Degraded")]
    private partial void LogUnavailable(string host, string reason);
}
