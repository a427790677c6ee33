using Drover.Contracts.Agent;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Transfers;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Reports what libvirt on this host knows of a domain.</summary>
public sealed class QueryDomainConsumer(StepRunner runner, TransferRegistry registry, Hosting.Hypervisor hypervisor) : IConsumer<QueryDomain>
{
    public Task Consume(ConsumeContext<QueryDomain> context)
    {
        var m = context.Message;
        return runner.Run(context, m.MigrationId, connection =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName));
            bool running = registry.IsRunning(m.MigrationId) || (domain is not null && SafeJobActive(domain));
            return Facts(m.MigrationId, hypervisor.HostName, m.DomainName, domain, running);
        });
    }

    internal static DomainFacts Facts(Guid migrationId, string host, string name, LibvirtDomain? domain, bool transferInProgress) => new()
    {
        MigrationId = migrationId,
        Host = host,
        DomainName = name,
        Exists = domain is not null,
        State = domain?.State.ToWireName() ?? "absent",
        Persistent = domain?.IsPersistent ?? false,
        TransferInProgress = transferInProgress,
    };

    private static bool SafeJobActive(LibvirtDomain domain)
    {
        try { return domain.GetJobStats().IsActive; }
        catch (LibvirtException) { return false; }
    }
}
