using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>On the source after the move: remove the probes and, when asked, the inactive definition and the images a storage
/// copy left behind. A running domain is never undefined, and no file is removed that is not one of its disks in the local storage.</summary>
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
                RemoveCopiedImages(m, domain, host.Name, connection);
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

    /// <summary>Before the definition goes (it is what says which files are the domain's): the copied images, when they are
    /// the domain's own disks in this host's local storage.</summary>
    private void RemoveCopiedImages(CleanUpSource m, IHypervisorDomain domain, string host, IHypervisorConnection connection)
    {
        if (m.RemoveDisks.Count == 0) return;
        var disks = DomainXml.Parse(domain.GetXml()).Disks.Select(d => d.Source).ToHashSet(StringComparer.Ordinal);
        var paths = new HostPaths(options.Value);
        foreach (string path in m.RemoveDisks)
        {
            if (!disks.Contains(path) || !paths.Local(path))
                throw new StepRefusedException(AgentFailureCode.NotPermitted, $"{path} is not a disk of '{m.DomainName}' in {host}'s local storage: not removed");
            CreatedDisks.DeleteImage(connection, path);
        }
    }
}
