using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Hosting;

/// <summary>
/// systemd's watchdog (<c>WatchdogSec=</c> in the unit, README): every half period, <c>WATCHDOG=1</c> while the agent's
/// loops turn (<see cref="AgentLiveness"/>), nothing when they stopped, so that systemd restarts the agent. Does nothing
/// when the process is not watched (no <c>NOTIFY_SOCKET</c> or <c>WATCHDOG_USEC</c>).
/// </summary>
public sealed partial class SystemdWatchdog(AgentLiveness liveness, TimeProvider time, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    private static readonly ServiceState Alive = new("WATCHDOG=1");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Period() is not { } period) return;
        var notifier = new SystemdNotifier();
        if (!notifier.IsEnabled) return;
        LogWatched(period);
        using var timer = new PeriodicTimer(period / 2, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var health = liveness.Check();
            if (health.Status == HealthStatus.Healthy) notifier.Notify(Alive);
            else LogNotLive(health.Description);
        }
    }

    /// <summary>The watchdog period systemd set for this process, if any.</summary>
    private static TimeSpan? Period()
    {
        if (Environment.GetEnvironmentVariable("WATCHDOG_PID") is { } pid && pid != Environment.ProcessId.ToString()) return null;
        return long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out long usec) && usec > 0 ? TimeSpan.FromMicroseconds(usec) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog: notifying every {Period} / 2 while the agent's loops turn")]
    private partial void LogWatched(TimeSpan period);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not live, withholding the systemd watchdog notification: {Reason}")]
    private partial void LogNotLive(string? reason);
}
