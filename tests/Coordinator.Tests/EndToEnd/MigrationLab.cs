using Drover.Api;
using Drover.Contracts.Agent;
using Drover.Contracts.Hosts;
using Drover.Contracts.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Everything real: the lab's hosts with an agent each, RabbitMQ, and a coordinator process on its database.</summary>
public abstract class MigrationLab : IAsyncLifetime
{
    public static readonly Type[] Observed =
    [
        typeof(MigrationStateChanged), typeof(MigrationCompleted), typeof(MigrationRejected), typeof(MigrationRolledBack),
        typeof(MigrationFailed), typeof(CancellationRefused), typeof(HostHeartbeat), typeof(StepFailed), typeof(SourceValidated),
        typeof(MemoryTransferProgressed), typeof(MemoryTransferred), typeof(DomainFacts), typeof(StepExpired), typeof(Contracts.Rebalancing.RebalanceStateChanged),
        typeof(MigrationEscalated),
    ];

    private readonly int _port;

    protected MigrationLab(int port) => _port = port;

    /// <summary>How many lab hosts (each with an agent) the fixture uses.</summary>
    protected virtual int HostCount => 2;

    public IReadOnlyList<LabHost> Hosts { get; private set; } = [];

    public LabHost A => Hosts[0];

    public LabHost B => Hosts[1];

    public LabHost C => Hosts[2];

    public List<AgentProcess> Agents { get; } = [];

    public TestBus Bus { get; private set; } = null!;

    public CoordinatorProcess Coordinator { get; private set; } = null!;

    /// <summary>The coordinator's database settings (environment variables).</summary>
    protected abstract Task<IReadOnlyDictionary<string, string>> DatabaseSettings();

    /// <summary>Further coordinator settings (environment variables) a fixture needs, e.g. shorter deadlines.</summary>
    protected virtual IReadOnlyDictionary<string, string> CoordinatorSettings => new Dictionary<string, string>();

    /// <summary>Settings (environment variables) a fixture gives each agent, e.g. another way to the broker.</summary>
    protected virtual IReadOnlyDictionary<string, string>? AgentSettings(LabHost host) => null;

    /// <summary>Everything the lab's coordinator was started with: another coordinator started with it shares its database.</summary>
    public async Task<IReadOnlyDictionary<string, string>> Settings() =>
        (await DatabaseSettings()).Concat(CoordinatorSettings).ToDictionary(kv => kv.Key, kv => kv.Value);

    public virtual async Task InitializeAsync()
    {
        Hosts = (await Lab.Hosts(HostCount)).Take(HostCount).ToList();
        Bus = await TestBus.Start(Observed);
        // The coordinator and the agents start together (each takes seconds to start; none needs another to).
        var since = DateTimeOffset.UtcNow;
        var coordinator = CoordinatorProcess.Start(await Settings(), _port);
        foreach (var host in Hosts) Agents.Add(AgentProcess.Start(host, settings: AgentSettings(host)));
        Coordinator = await coordinator;
        foreach (var host in Hosts)
        {
            await Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == host.Name && h.At >= since, TimeSpan.FromSeconds(60));
            // The test's bus may hear a heartbeat before the coordinator has written it: a request sent then finds the host unknown.
            await Eventually.True(() => StatusOf(host) == HostStatus.Up, TimeSpan.FromSeconds(30), $"{host.Name} up in the coordinator's inventory");
        }
    }

    /// <summary>Starts the host's agent again (after a test stopped it) and waits for its heartbeat.</summary>
    public async Task RestartAgent(LabHost host)
    {
        StopAgent(host);
        await StartAgent(host);
    }

    /// <summary>Stops the host's agent (a host whose agent is away); <see cref="StartAgent"/> brings it back.</summary>
    public void StopAgent(LabHost host)
    {
        var old = Agents.First(a => a.Host == host);
        old.Dispose();
        Agents.Remove(old);
    }

    public async Task StartAgent(LabHost host)
    {
        var since = DateTimeOffset.UtcNow;
        Agents.Add(AgentProcess.Start(host, settings: AgentSettings(host)));
        await Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == host.Name && h.At >= since, TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until the coordinator's inventory shows <paramref name="vm"/> running on <paramref name="host"/> and active
    /// nowhere else (the heartbeats after its start or its move: the source's may still show it paused at the switch).</summary>
    public Task RunningInInventory(LabHost host, string vm) => Eventually.True(() => Coordinator.Get<List<HostView>>("/api/hosts").GetAwaiter().GetResult()
        .SelectMany(h => h.Domains.Where(d => d.Name == vm && d.State.IsActive()).Select(d => (h.Name, d.State)))
        .SequenceEqual([(host.Name, Contracts.DomainRunState.Running)]), TimeSpan.FromSeconds(30), $"{vm} running on {host.Name} and active nowhere else in the inventory");

    /// <summary>The host's status in the coordinator's inventory, or null when it has never reported.</summary>
    public HostStatus? StatusOf(LabHost host) =>
        Coordinator.Get<List<HostView>>("/api/hosts").GetAwaiter().GetResult().FirstOrDefault(h => h.Name == host.Name)?.Status;

    /// <summary>kill -9 the coordinator and start it again on the same database.</summary>
    public async Task CrashAndRestartCoordinator()
    {
        Coordinator.Kill();
        Coordinator = await CoordinatorProcess.Start(await Settings(), _port);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var agent in Agents) agent.Dispose();
        Coordinator.Dispose();
        await Bus.DisposeAsync();
    }
}
