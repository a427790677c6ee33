using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Drover.HostAgent.Hosting;

/// <summary>Readiness: whether the agent holds a live connection to its libvirtd. Without one the host is Degraded, never
/// a reason to restart the agent (it reconnects by itself).</summary>
public sealed class HypervisorHealthCheck(Hypervisor hypervisor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(hypervisor.IsConnected
            ? HealthCheckResult.Healthy($"connected to {hypervisor.LibvirtUri}")
            : HealthCheckResult.Degraded($"no connection to {hypervisor.LibvirtUri}; reconnecting at every heartbeat"));
}
