using System.Net;
using Drover.Contracts.Hosts;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>
/// The agent outlives its libvirtd: it stays live (its health endpoint and the systemd watchdog say so, so a supervisor
/// leaves it alone), says the hypervisor is away in its readiness and heartbeats, and is whole again when libvirtd is back.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class AgentHealthTests(AgentFixture lab) : IAsyncLifetime
{
    private readonly SystemdNotifySocket _systemd = new(TimeSpan.FromSeconds(2));

    public async Task InitializeAsync()
    {
        lab.Agents[lab.B.Name].Dispose();
        await lab.StartAgent(lab.B, _systemd);
    }

    public async Task DisposeAsync()
    {
        await Faults.StartLibvirtd(lab.B);
        lab.Agents[lab.B.Name].Dispose();
        await lab.StartAgent(lab.B);
        _systemd.Dispose();
    }

    private AgentProcess Agent => lab.Agents[lab.B.Name];

    private Task<HealthReport> WaitForCheck(string which, string check, string status, TimeSpan timeout) =>
        Eventually.Get(async () => await Agent.Health(which) is { } h && h.StatusOf(check) == status ? h : null,
            timeout, $"/health/{which} of the agent with {check} {status}");

    private Task WatchdogNotified(DateTimeOffset since) =>
        Eventually.True(() => _systemd.Count("WATCHDOG=1", since) > 0, _systemd.Period * 3, "a WATCHDOG=1 notification");

    [Fact]
    public async Task An_agent_whose_libvirtd_died_stays_live_feeds_the_watchdog_and_reports_the_hypervisor_away_until_it_is_back()
    {
        var live = await Agent.Health("live") ?? throw new Xunit.Sdk.XunitException("the agent's health endpoint does not answer");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal("Healthy", live.StatusOf("loops"));
        await WaitForCheck("ready", "hypervisor", "Healthy", TimeSpan.FromSeconds(10));
        await WatchdogNotified(DateTimeOffset.UtcNow);

        await Faults.KillLibvirtd(lab.B);
        var killed = DateTimeOffset.UtcNow;
        var ready = await WaitForCheck("ready", "hypervisor", "Degraded", TimeSpan.FromSeconds(30));
        Assert.Contains("no connection", ready.DescriptionOf("hypervisor"));
        await lab.Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == lab.B.Name && !h.HypervisorAvailable && h.At > killed, TimeSpan.FromSeconds(10));

        // Still live, still watched: a supervisor has no reason to restart it, and it must not have exited by itself.
        await WatchdogNotified(DateTimeOffset.UtcNow);
        live = await Agent.Health("live") ?? throw new Xunit.Sdk.XunitException("the agent stopped answering without libvirtd");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal("Healthy", live.StatusOf("loops"));
        Assert.False(Agent.HasExited);

        await Faults.StartLibvirtd(lab.B);
        var back = DateTimeOffset.UtcNow;
        await WaitForCheck("ready", "hypervisor", "Healthy", TimeSpan.FromSeconds(30));
        await lab.Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == lab.B.Name && h.HypervisorAvailable && h.At > back, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_hung_libvirtd_never_stops_the_heartbeats_which_report_the_hypervisor_away_until_it_answers_again()
    {
        await lab.Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == lab.B.Name && h.HypervisorAvailable, TimeSpan.FromSeconds(10));
        var hung = DateTimeOffset.UtcNow;
        await Faults.HangLibvirtd(lab.B);
        HostHeartbeat away;
        try
        {
            // Reads that hang are not waited for: the agent keeps beating with the last figures, and once the read is past the
            // hypervisor timeout says libvirtd does not answer (Degraded) — never silent (Down), never restarted for libvirtd's fault.
            away = await lab.Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == lab.B.Name && !h.HypervisorAvailable && h.At > hung, AgentProcess.HypervisorTimeout * 3);
            Assert.True(away.At - hung >= AgentProcess.HypervisorTimeout - TimeSpan.FromSeconds(1.5), $"reported away after {(away.At - hung).TotalSeconds:0.0} s, before the timeout");
            Assert.Contains("has not answered", away.HypervisorError);
            Assert.True(away.Cpus > 0 && away.MemoryTotalKiB > 0, "the last figures read, not a blank host");
            var live = await Agent.Health("live") ?? throw new Xunit.Sdk.XunitException("the agent stopped answering with libvirtd hung");
            Assert.Equal("Healthy", live.StatusOf("loops"));
        }
        finally
        {
            await Faults.ResumeLibvirtd(lab.B);
        }
        var resumed = DateTimeOffset.UtcNow;
        await lab.Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == lab.B.Name && h.HypervisorAvailable && h.At > resumed, TimeSpan.FromSeconds(30));

        var times = lab.Bus.Events.All<HostHeartbeat>(h => h.Host == lab.B.Name && h.At >= hung && h.At <= resumed).Select(h => h.At).Prepend(hung).Append(resumed).Order().ToList();
        var longest = times.Zip(times.Skip(1), (a, b) => b - a).Max();
        Assert.True(longest < CoordinatorProcess.HostDownAfter, $"{lab.B.Name} went {longest.TotalSeconds:0.0} s without a heartbeat while its libvirtd hung");
        Assert.False(Agent.HasExited);
    }
}
