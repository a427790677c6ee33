using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>Compensation on the destination: send a running domain back to the source.</summary>
public sealed class MigrateBackConsumer(StepRunner runner, IOptions<AgentOptions> options) : IConsumer<MigrateBack>
{
    public Task Consume(ConsumeContext<MigrateBack> context)
    {
        var m = context.Message;
        return runner.Run(context, async (host, connection) =>
        {
            if (Peers.Refusal(options.Value, null, m.SourceMigrationUri) is { } refusal)
                throw new StepRefusedException(AgentFailureCode.NotPermitted, refusal);
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"No domain '{m.DomainName}' on {host.Name}");
            var state = domain.State;
            if (!state.IsActive())
                throw new StepRefusedException(AgentFailureCode.WrongDomainState, $"Domain '{m.DomainName}' is {state.ToWireName()} on {host.Name}; nothing to move back");
            // Measured here (QEMU 7.2): migrating out a domain that arrived paused and never ran crashes QEMU on an
            // assertion (its disks are still inactive) and loses the VM. Leave it paused for an operator instead.
            if (state == DomainRunState.Paused)
                throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                    $"Domain '{m.DomainName}' is paused on {host.Name}; QEMU cannot migrate a domain that has not run since it arrived, so it stays here, paused, for an operator");
            // The forward migration proved the storage shared, so the way back is as safe.
            var flags = MigrationFlags.PeerToPeer | MigrationFlags.Unsafe | MigrationFlags.Live | (options.Value.Tls ? MigrationFlags.Tls : MigrationFlags.None);
            var request = new MigrationRequest { DestinationUri = m.SourceMigrationUri, Flags = flags };
            await Task.Factory.StartNew(() => domain.Migrate(request), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return new MigratedBack { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name };
        });
    }
}
