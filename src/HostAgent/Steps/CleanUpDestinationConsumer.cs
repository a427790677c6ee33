using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>On the destination after the move: unless the request wants it persistent, drop the definition so the running domain is
/// transient; forget the definition it replaced.</summary>
public sealed class CleanUpDestinationConsumer(StepRunner runner, KeptDefinitions kept, CreatedDisks disks) : IConsumer<CleanUpDestination>
{
    public Task Consume(ConsumeContext<CleanUpDestination> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"Domain '{m.DomainName}' is not on {host.Name}");
            bool persistent = domain.IsPersistent;
            if (!m.Persistent && persistent && domain.State.IsActive())
            {
                domain.Undefine();   // a running domain stays running, transient
                persistent = false;
            }
            else if (m.Persistent && persistent && domain.Autostart != m.Autostart)
            {
                domain.Autostart = m.Autostart;   // the setting the VM had where it came from
            }
            kept.Forget(host.Name, m.MigrationId);   // the migration is done: no rollback will need the old definition
            disks.Forget(host.Name, m.MigrationId);  // nor delete the images the VM now runs on
            return new DestinationCleanedUp { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, Persistent = persistent };
        });
    }
}
