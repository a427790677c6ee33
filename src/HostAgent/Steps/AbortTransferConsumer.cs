using Drover.Contracts.Agent;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Transfers;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Aborts the domain's running migration job; the transfer then fails with <see cref="AgentFailureCode.Aborted"/> and the domain stays here.</summary>
public sealed class AbortTransferConsumer(StepRunner runner, TransferRegistry registry, Hosting.Hypervisor hypervisor) : IConsumer<AbortTransfer>
{
    public Task Consume(ConsumeContext<AbortTransfer> context)
    {
        var m = context.Message;
        return runner.Run(context, connection =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"No domain '{m.DomainName}' on {hypervisor.HostName}: the transfer has ended");
            registry.MarkAbortRequested(m.MigrationId);
            domain.AbortJob();
            return QueryDomainConsumer.Facts(m.MigrationId, m.Ticket, hypervisor.HostName, m.DomainName, domain, registry.IsRunning(m.MigrationId));
        });
    }
}
