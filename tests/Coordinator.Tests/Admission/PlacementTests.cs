using Drover.Api;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using static Drover.Coordinator.Tests.Admission.Fleet;

namespace Drover.Coordinator.Tests.Admission;

/// <summary>Where a migration without a destination goes (pure; the lab test shows the chosen host receiving the VM).</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class PlacementTests
{
    private static (HostView? Host, string? Reason) Choose(MigrationState q, DomainSummary vm, HostView source, HostView[] hosts, ActiveMigration[] active) =>
        Placement.Choose(q, vm, source, hosts, new FleetLoad(hosts, active));

    private static readonly Contracts.Hosts.DomainSummary Web = Vm();

    [Fact]
    public void The_host_with_most_room_after_the_move_is_chosen_and_the_others_are_named_with_why()
    {
        var source = Host("kvm-a", domains: Web);
        var hosts = new[] { source, Host("kvm-b", freeMiB: 2048), Host("kvm-c", freeMiB: 6000), Host("kvm-d", status: HostStatus.Degraded), Host("kvm-e", shared: ["/srv/other"]) };

        var (host, reason) = Choose(Queued(to: null), Web, source, hosts, []);

        Assert.Equal("kvm-c", host!.Name);
        Assert.Contains("kvm-c has the most room", reason);
        Assert.Contains("kvm-d: degraded", reason);
        Assert.Contains("kvm-e: cannot see /srv/shared/web01.qcow2", reason);
    }

    [Fact]
    public void Memory_promised_to_admitted_migrations_counts_against_a_host()
    {
        var source = Host("kvm-a", domains: Web);
        var hosts = new[] { source, Host("kvm-b", freeMiB: 3000), Host("kvm-c", freeMiB: 4000) };
        var incoming = new ActiveMigration(Guid.NewGuid(), "db01", null, "kvm-b", "kvm-c", 2000 * MiB);

        Assert.Equal("kvm-b", Choose(Queued(to: null), Web, source, hosts, [incoming]).Host!.Name);
    }

    [Fact]
    public void A_host_an_earlier_attempt_failed_on_comes_last_but_is_still_used_when_alone()
    {
        var source = Host("kvm-a", domains: Web);
        var q = Queued(to: null);
        q.FailedDestinations = ["kvm-c"];

        Assert.Equal("kvm-b", Choose(q, Web, source, [source, Host("kvm-b", freeMiB: 1024), Host("kvm-c", freeMiB: 8000)], []).Host!.Name);
        var (alone, why) = Choose(q, Web, source, [source, Host("kvm-c")], []);
        Assert.Equal("kvm-c", alone!.Name);
        Assert.Contains("where an earlier attempt failed, is the only host left", why);
    }

    [Fact]
    public void No_fitting_host_gives_no_host_and_every_reason()
    {
        var source = Host("kvm-a", domains: Web);
        var (host, reason) = Choose(Queued(to: null), Web, source, [source, Host("kvm-b", freeMiB: 100), Host("kvm-c", status: HostStatus.Down)], []);

        Assert.Null(host);
        Assert.StartsWith("No host can take the VM", reason);
        Assert.Contains("kvm-b: 100 MiB free < 512 MiB", reason);
        Assert.Contains("kvm-c: down", reason);
        Assert.Contains("no other host has reported", Choose(Queued(to: null), Web, source, [source], []).Reason);
    }

    [Fact]
    public void A_host_that_can_take_another_migration_now_is_preferred_to_one_with_more_room_at_its_incoming_limit()
    {
        var source = Host("kvm-a", domains: Web);
        var hosts = new[] { source, Host("kvm-b", freeMiB: 8000), Host("kvm-c", freeMiB: 3000) };
        var intoB = new ActiveMigration(Guid.NewGuid(), "db01", null, "kvm-c", "kvm-b", 0);

        var (host, reason) = Placement.Choose(Queued(to: null), Web, source, hosts, new FleetLoad(hosts, [intoB]), maxIncomingPerHost: 1);

        Assert.Equal("kvm-c", host!.Name);
        Assert.Contains("can take another migration now", reason);
        Assert.Equal("kvm-b", Placement.Choose(Queued(to: null), Web, source, hosts, new FleetLoad(hosts, [intoB]), maxIncomingPerHost: 2).Host!.Name);
    }
}
