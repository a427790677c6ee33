using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>
/// Compensation on the destination: remove the inactive definition the migration made, or put back the definition
/// that was there before it. Absent is success; a running domain is refused.
/// </summary>
public sealed class UndefineDomainConsumer(StepRunner runner) : IConsumer<UndefineDomain>
{
    public Task Consume(ConsumeContext<UndefineDomain> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName));
            if (domain is not null && domain.State.IsActive())
                throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                    $"Domain '{m.DomainName}' is {domain.State.ToWireName()} on {host.Name}; refusing to undefine it");
            if (m.RestoreXml is not null)
                connection.Define(m.RestoreXml).Dispose();
            else if (domain is { IsPersistent: true })
                domain.Undefine();
            return new DomainUndefined { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name };
        });
    }
}
