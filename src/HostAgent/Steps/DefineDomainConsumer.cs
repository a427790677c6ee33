using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>
/// Defines the migratable XML, inactive, on this (destination) host, marked with the migration. Defining it again is
/// harmless. An older definition of the same domain (the same UUID: validation refused any other) is reported, so
/// that a compensation puts it back instead of leaving the host without it.
/// </summary>
public sealed class DefineDomainConsumer(StepRunner runner) : IConsumer<DefineDomain>
{
    public Task Consume(ConsumeContext<DefineDomain> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            var xml = DomainXml.Parse(m.MigratableXml);
            string name = DomainNames.Require(xml.Name);
            string? previous = null;
            using (var existing = connection.FindDomain(name))
            {
                if (existing is not null && existing.State.IsActive())
                    throw new StepRefusedException(AgentFailureCode.NameOrUuidConflict, $"Domain '{name}' is already {existing.State.ToWireName()} on {host.Name}");
                if (existing is { IsPersistent: true } && existing.GetDefinitionXml() is var before && DomainXml.Parse(before).MigrationMark != m.MigrationId)
                    previous = before;
            }
            using var defined = connection.Define(xml.WithMigrationMark(m.MigrationId));
            return new DomainDefined { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, DomainName = defined.Name, PreviousDefinitionXml = previous };
        });
    }
}
