using Drover.Contracts.Agent;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Compensation on the source: make the domain run again if it was running before; running already is success.
/// A VM its user had paused before the migration is left paused.</summary>
public sealed class ResumeDomainConsumer(StepRunner runner, Hosting.Hypervisor hypervisor) : IConsumer<ResumeDomain>
{
    public Task Consume(ConsumeContext<ResumeDomain> context)
    {
        var m = context.Message;
        return runner.Run(context, connection =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"Domain '{m.DomainName}' is not on {hypervisor.HostName}");
            RunState.Restore(domain, m.WasRunning, hypervisor.HostName);
            return new DomainResumed { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = hypervisor.HostName, State = domain.State };
        });
    }
}
