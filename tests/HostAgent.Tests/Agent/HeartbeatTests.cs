using Drover.Contracts.Hosts;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>A busy host's heartbeats: domains that vanish while the agent reads the host (a transient guest migrated away)
/// are left out of that heartbeat, never the reason to skip one.</summary>
[Collection(AgentCollection.Name)]
public sealed class HeartbeatTests(AgentFixture lab) : IDisposable
{
    private readonly List<string> _vms = Enumerable.Range(1, 6).Select(i => $"beat-{Guid.NewGuid().ToString("N")[..6]}-{i:00}").ToList();

    public void Dispose()
    {
        foreach (var vm in _vms) TestSupport.Lab.Remove(vm, lab.Hosts);
    }

    [Fact]
    public async Task Six_guests_migrated_away_and_gone_while_heartbeats_are_read_never_cost_a_heartbeat()
    {
        var from = DateTimeOffset.UtcNow;
        foreach (var batch in _vms.Chunk(3))
        {
            await Task.WhenAll(batch.Select(vm => TestSupport.Lab.CreateGuest(lab.A, vm)));
            // Each leaves the source entirely (undefined there) and is transient on the destination, then destroyed there:
            // on both hosts a domain the agent just listed can be gone by the time it reads it.
            await Task.WhenAll(batch.Select(vm => Shell.Run("virsh", "-q", "-c", lab.A.LibvirtUri, "migrate", "--live", "--p2p", "--unsafe",
                "--undefinesource", vm, lab.B.MigrationUri)));
            await Task.WhenAll(batch.Select(vm => Shell.Run("virsh", "-q", "-c", lab.B.LibvirtUri, "destroy", vm)));
        }
        var to = DateTimeOffset.UtcNow;
        Assert.All(_vms, vm => Assert.True(lab.A.StateOf(vm) is null && lab.B.StateOf(vm) is null, $"{vm} is still somewhere"));

        foreach (var host in lab.Hosts)
        {
            var beats = lab.Bus.Events.All<HostHeartbeat>(h => h.Host == host.Name && h.At >= from && h.At <= to).OrderBy(h => h.At).ToList();
            Assert.True(beats.Count >= (to - from).TotalSeconds / 2, $"{host.Name}: {beats.Count} heartbeats in {(to - from).TotalSeconds:0} s");
            Assert.All(beats, b => Assert.True(b.HypervisorAvailable, $"{host.Name} reported its hypervisor away at {b.At:O}: {b.HypervisorError}"));
            var times = beats.Select(b => b.At).Prepend(from).Append(to).ToList();
            var longest = times.Zip(times.Skip(1), (a, b) => b - a).Max();
            Assert.True(longest < CoordinatorProcess.HostDownAfter, $"{host.Name} went {longest.TotalSeconds:0.0} s without a heartbeat: the coordinator would call it Down");
        }
    }
}
