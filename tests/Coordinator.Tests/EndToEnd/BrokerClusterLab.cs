using Drover.Api;
using Drover.Coordinator.Hosts;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>A three-node RabbitMQ cluster with quorum queues, two lab hosts with an agent each and a coordinator (SQLite),
/// every process connected to the whole cluster (node 1 first).</summary>
public sealed class BrokerClusterLab : IAsyncLifetime
{
    private const int Port = 5186;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "drover-test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<AgentProcess> _agents = [];

    public BrokerCluster Cluster { get; private set; } = null!;

    public CoordinatorProcess Coordinator { get; private set; } = null!;

    public IReadOnlyList<LabHost> Hosts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Cluster = await BrokerCluster.Start(3);
        Hosts = (await Lab.Hosts(2)).Take(2).ToList();
        var settings = new Dictionary<string, string>(Cluster.Settings(Broker.CoordinatorUser)) { ["Database__Provider"] = "Sqlite", ["Database__DataDirectory"] = _dataDirectory };
        Coordinator = await CoordinatorProcess.Start(settings, Port);
        foreach (var host in Hosts) _agents.Add(AgentProcess.Start(host, settings: Cluster.Settings(Names.AgentUser(host.Name))));
        await Eventually.Get(async () =>
            (await Coordinator.Get<List<HostView>>("/api/hosts")).Count(h => h.Status == HostStatus.Up && Hosts.Any(l => l.Name == h.Name)) == Hosts.Count ? "up" : null,
            TimeSpan.FromSeconds(90), "both hosts Up through the cluster");
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents) agent.Dispose();
        Coordinator?.Dispose();
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}
