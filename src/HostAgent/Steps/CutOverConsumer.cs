using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>
/// On the destination: confirm the domain arrived in the state it left in. libvirt resumed a running VM inside its
/// migration protocol; one that is paused here although it was running (an I/O error, a late pause) is resumed. The
/// images an offline copy streamed here must read as the source sent them (SHA-256), or the copy is not used.
/// </summary>
public sealed class CutOverConsumer(StepRunner runner, CreatedDisks created) : IConsumer<CutOver>
{
    public Task Consume(ConsumeContext<CutOver> context)
    {
        var m = context.Message;
        return runner.Run(context, async (host, connection) =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"Domain '{m.DomainName}' did not arrive on {host.Name}");
            if (m.Kind != MigrationKind.Offline)
            {
                RunState.Restore(domain, m.WasRunning, host.Name);
            }
            else if (domain.State.IsActive())
            {
                throw new StepRefusedException(AgentFailureCode.WrongDomainState, $"Offline-migrated domain '{m.DomainName}' is running on {host.Name}");
            }
            // Once per migration and step: a command sent again while a large image is read joins that reading.
            if (m.VerifyDisks.Count > 0)
                await host.Transfers.RunOnce(m.MigrationId, m.Ticket.Sequence, () => Task.Run(() => created.Verify(host.Name, m.MigrationId, m.VerifyDisks)));
            return new CutOverCompleted { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, State = domain.State };
        });
    }
}
