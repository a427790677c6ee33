using Drover.Contracts.Agent;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>On the source after the move: remove the probes and, when asked, the inactive definition. A running domain is never undefined.</summary>
public sealed class CleanUpSourceConsumer(StepRunner runner, Hosting.Hypervisor hypervisor) : IConsumer<CleanUpSource>
{
    public Task Consume(ConsumeContext<CleanUpSource> context)
    {
        var m = context.Message;
        return runner.Run(context, connection =>
        {
            ProbeFiles.Remove(m.ProbePaths);
            using var domain = connection.FindDomain(DomainNames.Require(m.DomainName));
            bool defined = domain is not null && domain.IsPersistent;
            if (m.UndefineSource && domain is not null)
            {
                if (domain.State.IsActive())
                    throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                        $"Domain '{m.DomainName}' is {domain.State.ToWireName()} on source {hypervisor.HostName}; refusing to undefine it");
                if (defined) domain.Undefine();
                defined = false;
            }
            return new SourceCleanedUp { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = hypervisor.HostName, StillDefined = defined };
        });
    }
}
