using MassTransit;

namespace Drover.Contracts.Hosts;

/// <summary>A message only one host's agent may publish: about that host (its heartbeat) or from it (a step's answer).
/// The coordinator accepts it only when the broker's validated sender (<c>user_id</c>) is that host's agent.</summary>
[ExcludeFromTopology]
public interface IHostReport
{
    /// <summary>The host whose agent published it.</summary>
    string Host { get; }
}
