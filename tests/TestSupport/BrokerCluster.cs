namespace Drover.TestSupport;

/// <summary>A RabbitMQ cluster of its own (<c>scripts/broker.sh cluster</c>, quorum queues), apart from the tests' broker;
/// <c>scripts/test.sh</c> names its directory and ports and stops it at the end whatever happened.</summary>
public sealed class BrokerCluster : IAsyncDisposable
{
    private static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["DROVER_BROKER_DIR"] = System.Environment.GetEnvironmentVariable("DROVER_TEST_CLUSTER_DIR") ?? "/srv/drover-test-cluster",
        ["DROVER_CLUSTER_PORT"] = System.Environment.GetEnvironmentVariable("DROVER_TEST_CLUSTER_PORT") ?? "5721",
    };

    private BrokerCluster(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <summary>For a Drover process connecting as <paramref name="user"/>: every node (<c>RabbitMq__Hosts__N</c>), quorum queues.</summary>
    public IReadOnlyDictionary<string, string> Settings(string user) => new Dictionary<string, string>(_settings)
    {
        ["RabbitMq__Username"] = user,
        ["RabbitMq__Password"] = Broker.PasswordOf(user, Environment),
    };

    public static async Task<BrokerCluster> Start(int nodes)
    {
        string output = await Shell.Run(Environment, Repository.Script("broker.sh"), "cluster", nodes.ToString());
        var settings = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("RabbitMq__", StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (!settings.ContainsKey("RabbitMq__Hosts__0")) throw new InvalidOperationException($"broker.sh cluster printed no node: {output}");
        return new BrokerCluster(settings);
    }

    public Task StopNode(int node) => Shell.Run(Environment, Repository.Script("broker.sh"), "stop-node", node.ToString());

    public Task StartNode(int node) => Shell.Run(Environment, Repository.Script("broker.sh"), "start-node", node.ToString());

    public async ValueTask DisposeAsync() => await Shell.Run(Environment, Repository.Script("broker.sh"), "stop");
}
