using MassTransit;

namespace Drover.HostAgent.Hosting;

/// <summary>
/// The hosts this agent process serves, one receive endpoint each: the one host it runs on, or many simulated ones
/// (capacity work). A command belongs to the host whose queue it arrived on.
/// </summary>
public sealed class AgentHosts
{
    private readonly Dictionary<string, AgentHost> _byQueue;

    public AgentHosts(IReadOnlyList<AgentHost> hosts)
    {
        if (hosts.Count == 0) throw new ArgumentException("An agent serves at least one host", nameof(hosts));
        All = hosts;
        _byQueue = hosts.ToDictionary(h => h.QueueName, StringComparer.Ordinal);
    }

    public IReadOnlyList<AgentHost> All { get; }

    /// <summary>The host whose queue <paramref name="context"/>'s message arrived on.</summary>
    public AgentHost For(ConsumeContext context)
    {
        if (All.Count == 1) return All[0];
        string queue = context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];
        return _byQueue.TryGetValue(queue, out var host)
            ? host
            : throw new InvalidOperationException($"No host of this agent consumes queue '{queue}'");
    }
}
