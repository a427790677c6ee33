using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>On the source after the move: remove the probes and, when asked, the inactive definition. A running domain is never undefined.</summary>
public sealed class CleanUpSourceConsumer(StepRunner runner, IOptions<AgentOptions> options) : IConsumer<CleanUpSource>
{
    public Task Consume(ConsumeContext<CleanUpSource> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            ProbeFiles.Remove(m.ProbePaths, new HostPaths(options.Value));
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName));
            bool defined = domain is not null && domain.IsPersistent;
            bool autostartOff = false;
            if (m.UndefineSource && domain is not null)
            {
                if (domain.State.IsActive())
                    throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                        $"Domain '{m.DomainName}' is {domain.State.ToWireName()} on source {host.Name}; refusing to undefine it");
                if (defined) domain.Undefine();
                defined = false;
            }
            else if (m.DisableAutostart && defined && !domain!.State.IsActive() && domain.Autostart)
            {
                domain.Autostart = false;   // the VM runs on the destination now: a reboot here must not start it again
                autostartOff = true;
            }
            return new SourceCleanedUp { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, StillDefined = defined, AutostartTurnedOff = autostartOff };
        });
    }
}
