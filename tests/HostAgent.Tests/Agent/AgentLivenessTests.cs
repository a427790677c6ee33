using Drover.HostAgent.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>When the agent calls itself live: both of its loops turned within the timeout (pure logic; the lab test shows it
/// answered over HTTP and to the watchdog).</summary>
[Trait("Category", "Fast")]
public sealed class AgentLivenessTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly AgentLiveness _liveness;

    public AgentLivenessTests() =>
        _liveness = new AgentLiveness(_time, Microsoft.Extensions.Options.Options.Create(new AgentOptions { LivenessTimeout = TimeSpan.FromSeconds(90) }));

    [Fact]
    public void A_fresh_agent_is_live_until_its_first_heartbeat_is_overdue()
    {
        Assert.Equal(HealthStatus.Healthy, _liveness.Check(null).Status);
        _time.Advance(TimeSpan.FromSeconds(91));
        Assert.Equal(HealthStatus.Unhealthy, _liveness.Check(null).Status);
    }

    [Fact]
    public void Each_heartbeat_turn_keeps_it_live_and_a_stuck_loop_is_named()
    {
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(60));
            _liveness.Beat();
            Assert.Equal(HealthStatus.Healthy, _liveness.Check(TimeSpan.FromSeconds(1)).Status);
        }
        _time.Advance(TimeSpan.FromSeconds(120));
        var stuck = _liveness.Check(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, stuck.Status);
        Assert.Contains("heartbeat loop", stuck.Description);
        Assert.Equal(120.0, stuck.Data["heartbeatLoopSeconds"]);
    }

    [Fact]
    public void A_libvirt_event_loop_that_stopped_turning_makes_the_agent_not_live()
    {
        _liveness.Beat();
        var result = _liveness.Check(TimeSpan.FromSeconds(95));
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("event loop", result.Description);
    }

    [Fact]
    public void Heartbeats_that_never_reach_a_connected_broker_make_the_agent_not_live_and_a_broker_away_does_not()
    {
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            _liveness.Beat(publisherWorks: false);   // the loop turns, nothing is delivered, the bus says it is connected
        }
        var stuck = _liveness.Check(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, stuck.Status);
        Assert.Contains("reached the broker", stuck.Description);

        _liveness.Beat(publisherWorks: true);   // delivered again (or the bus is not connected: not the agent's fault)
        Assert.Equal(HealthStatus.Healthy, _liveness.Check(TimeSpan.FromSeconds(1)).Status);
    }
}
