using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>
/// On the destination: confirm the domain arrived in the state it left in, then give it its final shape. libvirt resumed a
/// running VM inside its migration protocol; one that is paused here although it was running (an I/O error, a late pause)
/// is resumed. The images an offline copy streamed here must read as the source sent them (SHA-256), or the copy is not
/// used. Then, unless the request wants it persistent, the definition is dropped so the running domain is transient, and
/// the definition it replaced is forgotten: the migration is done here, no rollback will need it.
/// </summary>
public sealed class CutOverConsumer(StepRunner runner, CreatedDisks created, KeptDefinitions kept) : IConsumer<CutOver>
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
            var (persistent, warning) = FinalShape(domain, m, host.Name);
            kept.Forget(host.Name, m.MigrationId);      // no rollback will need the old definition
            created.Forget(host.Name, m.MigrationId);   // nor delete the images the VM now runs on
            return new CutOverCompleted { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, State = domain.State, Persistent = persistent, CleanUpWarning = warning };
        });
    }

    /// <summary>Transient unless asked otherwise (a shut-off domain keeps its definition: without one it would not exist);
    /// kept with the autostart it had on the source. The VM is in place already: a failure here is a warning, not a reason
    /// to move it back.</summary>
    private static (bool Persistent, string? Warning) FinalShape(IHypervisorDomain domain, CutOver m, string host)
    {
        bool persistent = domain.IsPersistent;
        try
        {
            if (!m.Persistent && persistent && domain.State.IsActive())
            {
                domain.Undefine();   // a running domain stays running, transient
                persistent = false;
            }
            else if (m.Persistent && persistent && domain.Autostart != m.Autostart)
            {
                domain.Autostart = m.Autostart;   // the setting the VM had where it came from
            }
            return (persistent, null);
        }
        catch (LibvirtException e)
        {
            return (persistent, $"'{m.DomainName}' runs on {host} but {(m.Persistent ? "its autostart could not be set" : "its definition could not be dropped")}: {e.Message}");
        }
    }
}
