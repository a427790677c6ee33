using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>
/// Compensation on the destination: remove the inactive definition the migration made, or put back the definition
/// that was there before it (kept on this host since the definition). Absent is success; a running domain is refused.
/// </summary>
public sealed class UndefineDomainConsumer(StepRunner runner, KeptDefinitions kept, CreatedDisks disks) : IConsumer<UndefineDomain>
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
            if (m.RestorePrevious)
            {
                if (kept.Find(host.Name, m.MigrationId) is { } previous)
                {
                    connection.Define(previous).Dispose();
                    kept.Forget(host.Name, m.MigrationId);
                }
                else if (domain is { IsPersistent: true } && DomainXml.Parse(domain.GetDefinitionXml()).MigrationMark == m.MigrationId)
                    throw new StepRefusedException(AgentFailureCode.HypervisorError,
                        $"The definition of '{m.DomainName}' this migration replaced is no longer kept on {host.Name} ({kept.PathFor(host.Name, m.MigrationId)})");
                // else: restored already (a redelivery)
            }
            else if (domain is { IsPersistent: true })
                domain.Undefine();
            disks.Delete(host.Name, m.MigrationId, connection);   // the images a storage copy made here, and nothing else
            return new DomainUndefined { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name };
        });
    }
}
