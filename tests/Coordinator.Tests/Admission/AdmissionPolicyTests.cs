using Drover.Api;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using static Drover.Coordinator.Tests.Admission.Fleet;

namespace Drover.Coordinator.Tests.Admission;

/// <summary>Admission decided from the inventory alone (pure; the lab tests show the same refusals end to end).</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class AdmissionPolicyTests
{
    private static readonly SagaOptions Options = new() { MaxOutgoingPerHost = 2, MaxIncomingPerHost = 1, MaxConcurrent = 3 };

    private static AdmissionDecision Decide(MigrationState q, params HostView[] hosts) => AdmissionPolicy.Decide(q, [], hosts, Options);

    [Fact]
    public void A_running_vm_between_two_up_hosts_sharing_its_disk_is_admitted()
    {
        var admit = Assert.IsType<AdmissionDecision.Admit>(Decide(Queued(), Host("kvm-a", domains: Vm()), Host("kvm-b")));
        Assert.Equal("kvm-b", admit.DestinationHost);
        Assert.Equal("qemu+tcp://kvm-b/system", admit.DestinationMigrationUri);
        Assert.Null(admit.PlacementReason);
    }

    [Theory]
    [InlineData(HostStatus.Down, "down")]
    [InlineData(HostStatus.Degraded, "libvirtd does not answer")]
    public void A_destination_that_cannot_work_is_refused_with_why(HostStatus status, string why)
    {
        var refuse = Assert.IsType<AdmissionDecision.Refuse>(Decide(Queued(), Host("kvm-a", domains: Vm()), Host("kvm-b", status: status, beat: Now.AddMinutes(-1))));
        Assert.Equal("DestinationHost", refuse.Field);
        Assert.Contains(why, refuse.Reason);
    }

    [Fact]
    public void A_host_heard_from_after_the_request_but_late_now_is_waited_for()
    {
        var q = Queued();
        var late = Host("kvm-b", status: HostStatus.Down, beat: q.CreatedAt.AddSeconds(1));
        Assert.Contains("waiting for it", Assert.IsType<AdmissionDecision.Wait>(Decide(q, Host("kvm-a", domains: Vm()), late)).Reason);
        var lateSource = Host("kvm-a", status: HostStatus.Down, beat: q.CreatedAt.AddSeconds(1), domains: Vm());
        Assert.IsType<AdmissionDecision.Wait>(Decide(q, lateSource, Host("kvm-b")));
        // Placement too: no host fits now, but one that was up when the request came may come back.
        var placed = Queued(to: null);
        Assert.IsType<AdmissionDecision.Wait>(Decide(placed, Host("kvm-a", domains: Vm()), Host("kvm-b", status: HostStatus.Down, beat: placed.CreatedAt.AddSeconds(1))));
        Assert.IsType<AdmissionDecision.Refuse>(Decide(placed, Host("kvm-a", domains: Vm()), Host("kvm-b", status: HostStatus.Down, beat: placed.CreatedAt.AddMinutes(-1))));
    }

    [Fact]
    public void An_unknown_source_is_refused()
    {
        var refuse = Assert.IsType<AdmissionDecision.Refuse>(Decide(Queued(from: "kvm-z"), Host("kvm-b")));
        Assert.Equal("SourceHost", refuse.Field);
    }

    [Fact]
    public void The_wrong_kind_for_the_vm_state_is_refused_on_fresh_facts_and_waited_on_stale_ones()
    {
        var offlineOfRunning = Queued(kind: MigrationKind.Offline);
        Assert.Contains("needs it shut off", Assert.IsType<AdmissionDecision.Refuse>(Decide(offlineOfRunning, Host("kvm-a", domains: Vm()), Host("kvm-b"))).Reason);
        var liveOfShutOff = Queued();
        Assert.Contains("use Offline", Assert.IsType<AdmissionDecision.Refuse>(Decide(liveOfShutOff, Host("kvm-a", domains: Vm(state: DomainRunState.Shutoff)), Host("kvm-b"))).Reason);
        // A heartbeat older than the request may predate a start or a shutdown: wait for a newer one.
        var stale = Host("kvm-a", beat: offlineOfRunning.CreatedAt.AddSeconds(-5), domains: Vm());
        Assert.IsType<AdmissionDecision.Wait>(Decide(offlineOfRunning, stale, Host("kvm-b")));
    }

    [Theory]
    [InlineData(MigrationKind.Live, false, true)]
    [InlineData(MigrationKind.Offline, false, false)]    // only the definition moves; the disk stays where it is, with the source's
    [InlineData(MigrationKind.Offline, true, true)]      // ... unless the source's definition goes: then it would stay behind
    public void A_disk_outside_the_shared_storage_is_refused_when_the_move_needs_it_shared(MigrationKind kind, bool undefineSource, bool refused)
    {
        var q = Queued(kind: kind);
        q.UndefineSource = undefineSource;
        var vm = Vm(state: kind == MigrationKind.Offline ? DomainRunState.Shutoff : DomainRunState.Running, disks: "/var/lib/drover/images/web01.qcow2");
        var decision = Decide(q, Host("kvm-a", domains: vm), Host("kvm-b"));
        if (refused) Assert.Contains("/var/lib/drover/images/web01.qcow2", Assert.IsType<AdmissionDecision.Refuse>(decision).Reason);
        else Assert.IsType<AdmissionDecision.Admit>(decision);
    }

    [Fact]
    public void The_per_host_and_global_limits_and_the_room_left_make_it_wait()
    {
        var q = Queued();
        var hosts = new[] { Host("kvm-a", domains: Vm()), Host("kvm-b", freeMiB: 1024), Host("kvm-c") };
        ActiveMigration To(string destination, long memoryMiB = 256) => new(Guid.NewGuid(), "other" + Guid.NewGuid().ToString("N")[..4], null, "kvm-c", destination, memoryMiB * MiB);

        Assert.Contains("receives 1", Assert.IsType<AdmissionDecision.Wait>(AdmissionPolicy.Decide(q, [To("kvm-b")], hosts, Options)).Reason);
        Assert.Contains("limit is 3", Assert.IsType<AdmissionDecision.Wait>(AdmissionPolicy.Decide(q, [To("kvm-c"), To("kvm-c"), To("kvm-c")], hosts, Options)).Reason);
        var tight = new[] { hosts[0], Host("kvm-b", freeMiB: 600) };
        Assert.IsType<AdmissionDecision.Admit>(AdmissionPolicy.Decide(q, [], tight, Options));
        var roomLeft = AdmissionPolicy.Decide(q, [new ActiveMigration(Guid.NewGuid(), "db01", null, "kvm-c", "kvm-b", 200 * MiB)], tight, new SagaOptions { MaxOutgoingPerHost = 2, MaxIncomingPerHost = 2, MaxConcurrent = 3 });
        Assert.Contains("400 MiB free after admitted migrations", Assert.IsType<AdmissionDecision.Wait>(roomLeft).Reason);
    }

    [Fact]
    public void Without_a_destination_the_global_or_source_limit_makes_it_wait_before_any_host_is_weighed()
    {
        // Every other host is full of admitted migrations now: weighed, they would refuse the VM for want of room, although
        // room comes back as those migrations end.
        var q = Queued(to: null);
        var hosts = new[] { Host("kvm-a", domains: Vm()), Host("kvm-b", freeMiB: 1024), Host("kvm-c", freeMiB: 1024) };
        ActiveMigration Into(string destination) => new(Guid.NewGuid(), "other" + Guid.NewGuid().ToString("N")[..4], null, "kvm-a", destination, 1000 * MiB);
        var options = new SagaOptions { MaxOutgoingPerHost = 2, MaxIncomingPerHost = 5, MaxConcurrent = 3 };
        var wider = new SagaOptions { MaxOutgoingPerHost = 5, MaxIncomingPerHost = 5, MaxConcurrent = 3 };

        Assert.Contains("sends 2", Assert.IsType<AdmissionDecision.Wait>(AdmissionPolicy.Decide(q, [Into("kvm-b"), Into("kvm-c")], hosts, options)).Reason);
        var fromElsewhere = new ActiveMigration(Guid.NewGuid(), "db01", null, "kvm-c", "kvm-b", 0);
        Assert.Contains("limit is 3", Assert.IsType<AdmissionDecision.Wait>(AdmissionPolicy.Decide(q, [Into("kvm-b"), Into("kvm-c"), fromElsewhere], hosts, wider)).Reason);
        // Below the limits the hosts are weighed, and the full ones refuse it.
        Assert.IsType<AdmissionDecision.Refuse>(AdmissionPolicy.Decide(q, [Into("kvm-b"), Into("kvm-c")], hosts, wider));
    }

    [Fact]
    public void A_vm_already_migrating_is_refused()
    {
        var q = Queued();
        var refuse = Assert.IsType<AdmissionDecision.Refuse>(AdmissionPolicy.Decide(q, [new ActiveMigration(Guid.NewGuid(), "web01", "web01", "kvm-a", "kvm-b", 512 * MiB)],
            [Host("kvm-a", domains: Vm()), Host("kvm-b")], Options));
        Assert.Equal("Vm", refuse.Field);
    }
}
