using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Compensation on the source: make the domain run again if it was running before; running already is success.
/// A VM its user had paused before the migration is left paused.</summary>
public sealed class ResumeDomainConsumer(StepRunner runner) : IConsumer<ResumeDomain>
{
    public Task Consume(ConsumeContext<ResumeDomain> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"Domain '{m.DomainName}' is not on {host.Name}");
            RunState.Restore(domain, m.WasRunning, host.Name);
            return new DomainResumed { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, State = domain.State };
        });
    }
}
