using Drover.Contracts.Agent;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Defines the migratable XML, inactive, on this (destination) host. Defining it again is harmless.</summary>
public sealed class DefineDomainConsumer(StepRunner runner, Hosting.Hypervisor hypervisor) : IConsumer<DefineDomain>
{
    public Task Consume(ConsumeContext<DefineDomain> context)
    {
        var m = context.Message;
        return runner.Run(context, m.MigrationId, connection =>
        {
            string name = DomainNames.Require(DomainXml.Parse(m.MigratableXml).Name);
            using (var existing = connection.FindDomain(name))
            {
                if (existing is not null && existing.State.IsActive())
                    throw new StepRefusedException(AgentFailureCode.NameOrUuidConflict, $"Domain '{name}' is already {existing.State.ToWireName()} on {hypervisor.HostName}");
            }
            using var defined = connection.Define(m.MigratableXml);
            return new DomainDefined { MigrationId = m.MigrationId, Host = hypervisor.HostName, DomainName = defined.Name };
        });
    }
}
