using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Libvirt;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>
/// Checks first that this (destination) host can take the domain (<see cref="DestinationChecks"/>, when the command carries
/// requirements), then defines the migratable XML, inactive, marked with the migration — only when it is the
/// definition of the domain the migration moves and nothing this host does not allow (<see cref="DefinitionPolicy"/>).
/// Defining it again is harmless. An older definition of the same domain (the same UUID: validation refused any other) is
/// kept on this host (<see cref="KeptDefinitions"/>), so that a compensation puts it back instead of leaving the host without it.
/// For a storage copy, the empty images libvirt copies into are created first (<see cref="CreatedDisks"/>).
/// </summary>
public sealed class DefineDomainConsumer(StepRunner runner, KeptDefinitions kept, CreatedDisks disks, IOptions<AgentOptions> options) : IConsumer<DefineDomain>
{
    public Task Consume(ConsumeContext<DefineDomain> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            var xml = DomainXml.Parse(m.MigratableXml);
            string name = DomainNames.Require(m.DomainName);
            bool replaced = false;
            using (var existing = connection.FindDomain(name))
            {
                string? before = existing is { IsPersistent: true } ? existing.GetDefinitionXml() : null;
                // This migration's own definition is here already (the command redelivered or sent again): its checks passed
                // when it was made, and refusing now would leave it behind.
                bool ours = before is not null && DomainXml.Parse(before).MigrationMark == m.MigrationId;
                if (m.Requirements is { } requirements && !ours)
                    DestinationChecks.Require(connection, options.Value, host.Name, name, m.DomainUuid, xml, requirements);   // the definition's own checks among them
                else
                {
                    if (DefinitionPolicy.Refusal(xml, name, m.DomainUuid, options.Value, host.Name) is { } refusal)
                        throw new StepRefusedException(AgentFailureCode.NotPermitted, refusal);
                    if (existing is not null && existing.State.IsActive())
                        throw new StepRefusedException(AgentFailureCode.NameOrUuidConflict, $"Domain '{name}' is already {existing.State.ToWireName()} on {host.Name}");
                }
                if (before is not null && !ours)
                {
                    kept.Keep(host.Name, m.MigrationId, before);
                    replaced = true;
                }
            }
            disks.Create(host.Name, m.MigrationId, m.CreateDisks, m.StreamDisks, connection);
            using var defined = connection.Define(xml.WithMigrationMark(m.MigrationId));
            return new DomainDefined
            {
                MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, DomainName = defined.Name,
                KeptPreviousDefinition = replaced || kept.Find(host.Name, m.MigrationId) is not null,   // a redelivery finds it kept
            };
        });
    }
}
