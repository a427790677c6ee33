using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Transfers;

namespace Drover.HostAgent.Hosting;

/// <summary>One host this agent process serves: its hypervisor and the transfers it runs.</summary>
public sealed class AgentHost(IHypervisor hypervisor, TimeProvider clock)
{
    public string Name => hypervisor.HostName;

    public IHypervisor Hypervisor => hypervisor;

    /// <summary>This host's transfers (a destination asked about a migration must not see the source's).</summary>
    public TransferRegistry Transfers { get; } = new(clock);

    public string QueueName => Names.AgentQueue(Name);
}
