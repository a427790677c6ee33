using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Aborts the domain's running migration job; the transfer then fails with <see cref="AgentFailureCode.Aborted"/> and the domain stays here.</summary>
public sealed class AbortTransferConsumer(StepRunner runner) : IConsumer<AbortTransfer>
{
    public Task Consume(ConsumeContext<AbortTransfer> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"No domain '{m.DomainName}' on {host.Name}: the transfer has ended");
            host.Transfers.MarkAbortRequested(m.MigrationId);
            if (domain.State.IsActive()) domain.AbortJob();   // a shut-off domain has no job: its disk streams stop at the request
            return QueryDomainConsumer.Facts(m.MigrationId, m.Ticket, host.Name, m.DomainName, domain, host.Transfers.IsRunning(m.MigrationId));
        });
    }
}
