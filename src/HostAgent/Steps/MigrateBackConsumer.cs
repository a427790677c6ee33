using Drover.Contracts.Agent;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Compensation on the destination: send the domain back to the source, keeping it paused if it is paused.</summary>
public sealed class MigrateBackConsumer(StepRunner runner, Hosting.Hypervisor hypervisor) : IConsumer<MigrateBack>
{
    public Task Consume(ConsumeContext<MigrateBack> context)
    {
        var m = context.Message;
        return runner.Run(context, m.MigrationId, async connection =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"No domain '{m.DomainName}' on {hypervisor.HostName}");
            var state = domain.State;
            if (!state.IsActive())
                throw new StepRefusedException(AgentFailureCode.WrongDomainState, $"Domain '{m.DomainName}' is {state.ToWireName()} on {hypervisor.HostName}; nothing to move back");
            // The forward migration proved the storage shared, so the way back is as safe. libvirt moves a paused
            // domain only as a live migration ("domain is not running" otherwise); PAUSED keeps it paused on arrival.
            var flags = MigrationFlags.PeerToPeer | MigrationFlags.Unsafe | MigrationFlags.Live | (state == DomainState.Paused ? MigrationFlags.Paused : MigrationFlags.None);
            var request = new MigrationRequest { DestinationUri = m.SourceMigrationUri, Flags = flags };
            await Task.Factory.StartNew(() => domain.Migrate(request), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return new MigratedBack { MigrationId = m.MigrationId, Host = hypervisor.HostName };
        });
    }
}
