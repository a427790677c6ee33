using Drover.Contracts.Agent;
using Drover.Contracts.Hosts;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>Two lab hosts, a real agent process in each, and a bus that sees every agent event.</summary>
public sealed class AgentFixture : IAsyncLifetime
{
    public static readonly Type[] AgentEvents =
    [
        typeof(SourceValidated), typeof(DestinationValidated), typeof(DomainDefined), typeof(MemoryTransferProgressed),
        typeof(MemoryTransferred), typeof(CutOverCompleted), typeof(SourceCleanedUp),
        typeof(DomainUndefined), typeof(DomainResumed), typeof(MigratedBack), typeof(DomainFacts), typeof(StepFailed), typeof(StepExpired),
        typeof(HostHeartbeat),
    ];

    public IReadOnlyList<LabHost> Hosts { get; private set; } = [];

    public LabHost A => Hosts[0];

    public LabHost B => Hosts[1];

    public Dictionary<string, AgentProcess> Agents { get; } = [];

    public TestBus Bus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hosts = (await Lab.Hosts(2)).Take(2).ToList();
        Bus = await TestBus.Start(AgentEvents);
        await Task.WhenAll(Hosts.Select(h => StartAgent(h)));   // together: each takes seconds to start
    }

    /// <summary>Starts the host's agent and waits for its first heartbeat.</summary>
    public async Task StartAgent(LabHost host, SystemdNotifySocket? watchdog = null)
    {
        var since = DateTimeOffset.UtcNow;
        Agents[host.Name] = AgentProcess.Start(host, watchdog);
        await Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == host.Name && h.At >= since, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in Agents.Values) agent.Dispose();
        await Bus.DisposeAsync();
    }
}
