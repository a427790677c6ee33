using Drover.HostAgent.Libvirt;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Hosting;

/// <summary>
/// Whether the agent's own loops still turn — the heartbeat loop and libvirt's event loop — and its heartbeats still reach
/// a broker it is connected to. It answers <c>/health/live</c> and feeds the systemd watchdog, so that a supervisor restarts
/// an agent that stopped working. A libvirtd or a broker that is away does not make the agent unhealthy: that is the host's
/// <c>Degraded</c> (or <c>Down</c>) state. But a publisher that stays stuck after a broker restart while the agent's
/// consumers are connected again (measured in bench/chaos.sh: every heartbeat publish of one agent hung for over a minute;
/// RabbitMQ.Client 7.2, rabbitmq-dotnet-client#1930) leaves the host Down for good: a restart clears it.
/// </summary>
public sealed class AgentLiveness(TimeProvider time, IOptions<AgentOptions> options) : IHealthCheck
{
    public const string Name = "loops";

    private long _lastBeat = time.GetTimestamp();   // the start counts as a turn: the first one has one timeout to come
    private long _lastPublished = time.GetTimestamp();

    /// <summary>The heartbeat loop finished a turn. <paramref name="publisherWorks"/>: a heartbeat reached the broker, or none
    /// could because the bus is not connected (a broker away is not the agent's fault).</summary>
    public void Beat(bool publisherWorks = true)
    {
        long now = time.GetTimestamp();
        Interlocked.Exchange(ref _lastBeat, now);
        if (publisherWorks) Interlocked.Exchange(ref _lastPublished, now);
    }

    public TimeSpan SinceBeat => time.GetElapsedTime(Interlocked.Read(ref _lastBeat));

    /// <summary>Live when both loops turned within <see cref="AgentOptions.LivenessTimeout"/>.</summary>
    public HealthCheckResult Check(TimeSpan? sinceEventLoopTurn)
    {
        var timeout = options.Value.LivenessTimeout;
        var sinceBeat = SinceBeat;
        var sincePublished = time.GetElapsedTime(Interlocked.Read(ref _lastPublished));
        var data = new Dictionary<string, object>
        {
            ["heartbeatLoopSeconds"] = Math.Round(sinceBeat.TotalSeconds, 1),
            ["heartbeatPublishedSeconds"] = Math.Round(sincePublished.TotalSeconds, 1),
            ["timeoutSeconds"] = timeout.TotalSeconds,
        };
        if (sinceEventLoopTurn is { } turn) data["eventLoopSeconds"] = Math.Round(turn.TotalSeconds, 1);
        if (sinceBeat > timeout)
            return HealthCheckResult.Unhealthy($"the heartbeat loop has not turned for {sinceBeat.TotalSeconds:0} s", data: data);
        if (sincePublished > timeout)
            return HealthCheckResult.Unhealthy(
                $"no heartbeat has reached the broker for {sincePublished.TotalSeconds:0} s although the bus is connected (a publisher stuck since a broker restart); a restart clears it", data: data);
        if (sinceEventLoopTurn > timeout)
            return HealthCheckResult.Unhealthy($"libvirt's event loop has not turned for {sinceEventLoopTurn.Value.TotalSeconds:0} s", data: data);
        return HealthCheckResult.Healthy("the heartbeat and libvirt event loops turn", data);
    }

    /// <summary>Live now, with libvirt's event loop as it turns in this process.</summary>
    public HealthCheckResult Check() => Check(LibvirtEventLoop.SinceLastTurn);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());
}
