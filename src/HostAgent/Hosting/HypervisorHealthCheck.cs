using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Drover.HostAgent.Hosting;

/// <summary>Readiness: whether the agent holds a live connection to each host's hypervisor. Without one the host is Degraded,
/// never a reason to restart the agent (it reconnects by itself).</summary>
public sealed class HypervisorHealthCheck(AgentHosts hosts) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var away = hosts.All.Where(h => !h.Hypervisor.IsConnected).ToList();
        return Task.FromResult(away.Count == 0
            ? HealthCheckResult.Healthy(hosts.All.Count == 1 ? $"connected to {hosts.All[0].Hypervisor.Endpoint}" : $"connected to the hypervisors of {hosts.All.Count} hosts")
            : HealthCheckResult.Degraded($"no connection to {string.Join(", ", away.Select(h => h.Hypervisor.Endpoint))}; reconnecting at every heartbeat"));
    }
}
