using Drover.Contracts.Hosts;
using Drover.HostAgent.Libvirt;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Hosting;

/// <summary>Publishes <see cref="HostHeartbeat"/> every interval: the host's capacity and its domains.</summary>
public sealed partial class HeartbeatService(Hypervisor hypervisor, IBus bus, IOptions<AgentOptions> options, ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        do
        {
            try
            {
                // A heartbeat is news only for a few intervals: stale ones expire in the broker instead of piling up.
                await bus.Publish(Read(), context => context.TimeToLive = options.Value.HeartbeatInterval * 3, stoppingToken);
            }
            catch (LibvirtException e)
            {
                LogUnavailable(hypervisor.HostName, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

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
                Domains = domains.Select(d => new DomainSummary
                {
                    Name = d.Name,
                    Uuid = d.Uuid,
                    State = d.State.ToWireName(),
                    VCpus = d.Size.VCpus,
                    MemoryKiB = d.Size.MemoryKiB,
                    Persistent = d.IsPersistent,
                    Disks = Disks(d),
                }).ToList(),
                At = DateTimeOffset.UtcNow,
            };
        }
        finally
        {
            foreach (var d in domains) d.Dispose();
        }
    }

    private static IReadOnlyList<string> Disks(LibvirtDomain domain)
    {
        var xml = Steps.DomainXml.Parse(domain.GetXml());
        return [.. xml.FileDisks, .. xml.BlockDisks];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of {Host} skipped: libvirt unavailable ({Reason})")]
    private partial void LogUnavailable(string host, string reason);
}
