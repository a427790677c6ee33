using Drover.HostAgent.Libvirt;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Hosting;

/// <summary>
/// Whether the agent's own loops still turn: the heartbeat loop and libvirt's event loop. It answers <c>/health/live</c>
/// and feeds the systemd watchdog, so that a supervisor restarts an agent that stopped working. A libvirtd or a broker that
/// is away does not make the agent unhealthy: that is the host's <c>Degraded</c> state, said in its heartbeats.
/// </summary>
public sealed class AgentLiveness(TimeProvider time, IOptions<AgentOptions> options) : IHealthCheck
{
    public const string Name = "loops";

    private long _lastBeat = time.GetTimestamp();   // the start counts as a turn: the first one has one timeout to come

    /// <summary>The heartbeat loop finished a turn, whatever it could send.</summary>
    public void Beat() => Interlocked.Exchange(ref _lastBeat, time.GetTimestamp());

    public TimeSpan SinceBeat => time.GetElapsedTime(Interlocked.Read(ref _lastBeat));

    /// <summary>Live when both loops turned within <see cref="AgentOptions.LivenessTimeout"/>.</summary>
    public HealthCheckResult Check(TimeSpan? sinceEventLoopTurn)
    {
        var timeout = options.Value.LivenessTimeout;
        var sinceBeat = SinceBeat;
        var data = new Dictionary<string, object> { ["heartbeatLoopSeconds"] = Math.Round(sinceBeat.TotalSeconds, 1), ["timeoutSeconds"] = timeout.TotalSeconds };
        if (sinceEventLoopTurn is { } turn) data["eventLoopSeconds"] = Math.Round(turn.TotalSeconds, 1);
        if (sinceBeat > timeout)
            return HealthCheckResult.Unhealthy($"the heartbeat loop has not turned for {sinceBeat.TotalSeconds:0} s", data: data);
        if (sinceEventLoopTurn > timeout)
            return HealthCheckResult.Unhealthy($"libvirt's event loop has not turned for {sinceEventLoopTurn.Value.TotalSeconds:0} s", data: data);
        return HealthCheckResult.Healthy("the heartbeat and libvirt event loops turn", data);
    }

    /// <summary>Live now, with libvirt's event loop as it turns in this process.</summary>
    public HealthCheckResult Check() => Check(LibvirtEventLoop.SinceLastTurn);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());
}
