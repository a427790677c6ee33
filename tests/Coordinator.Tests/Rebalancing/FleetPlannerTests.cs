using Drover.Coordinator.Rebalancing;
using Drover.TestSupport;
using static Drover.TestSupport.SyntheticFleet;

namespace Drover.Coordinator.Tests.Rebalancing;

/// <summary>The planner on made-up fleets: balance reached, constraints never broken, drains explained.</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class FleetPlannerTests
{
    [Fact]
    public void An_uneven_fleet_is_balanced_within_the_target()
    {
        var fleet = Uneven(hosts: 50, vms: 1000);

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.BalanceMemory));

        Assert.True(plan.SpreadBefore > 30, $"before {plan.SpreadBefore}");
        Assert.True(plan.SpreadAfter <= 5, $"after {plan.SpreadAfter}");
        Assert.Equal(plan.SpreadAfter, Spread(Apply(fleet, plan)), precision: 1);
        AssertConstraintsHold(fleet, plan, reservePercent: 10);
    }

    [Fact]
    public void Two_guests_on_one_of_three_hosts_are_split_when_no_guest_fits_the_gap()
    {
        var fleet = new FleetSnapshot([Host("a"), Host("b"), Host("c")], [Vm("1", "a", 8), Vm("2", "a", 8)]);

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.BalanceMemory, TargetSpreadPoints: 1));

        Assert.Single(plan.Moves);
        Assert.True(plan.SpreadAfter < plan.SpreadBefore);
    }

    [Fact]
    public void An_already_balanced_fleet_yields_no_moves()
    {
        var fleet = new FleetSnapshot(
            [Host("a"), Host("b"), Host("c")],
            [Vm("1", "a", 8), Vm("2", "b", 8), Vm("3", "c", 8), Vm("4", "a", 2), Vm("5", "b", 2), Vm("6", "c", 2)]);

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.BalanceMemory));

        Assert.Empty(plan.Moves);
        Assert.Equal(0, plan.SpreadAfter);
    }

    [Fact]
    public void Pinned_vms_local_disks_other_cpus_and_the_reserve_are_respected()
    {
        var fleet = new FleetSnapshot(
            [Host("hot"), Host("other-cpu", cpu: "Xeon"), Host("small", gib: 16), Host("cool")],
            [
                Vm("pinned", "hot", 16, pinned: true), Vm("local", "hot", 16, disk: "/var/lib/libvirt/images/local.qcow2"),
                Vm("big", "hot", 14), Vm("wide", "hot", 4, vcpus: 64), Vm("free", "hot", 4),
            ]);

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.BalanceMemory, TargetSpreadPoints: 1));

        Assert.DoesNotContain(plan.Moves, m => m.Vm is "pinned" or "local" or "wide");
        Assert.DoesNotContain(plan.Moves, m => m.To == "other-cpu");
        Assert.DoesNotContain(plan.Moves, m => m.To == "small" && m.MemoryKiB > (16L << 20) * 0.9);
        Assert.Contains(plan.Moves, m => m.Vm == "big" && m.To == "cool");
        AssertConstraintsHold(fleet, plan, reservePercent: 10);
    }

    [Fact]
    public void Draining_a_host_moves_everything_that_can_go_and_explains_the_rest()
    {
        var fleet = new FleetSnapshot(
            [Host("maint"), Host("a", gib: 32), Host("b", gib: 32)],
            [Vm("1", "maint", 8), Vm("2", "maint", 8), Vm("3", "maint", 16), Vm("pinned", "maint", 1, pinned: true), Vm("huge", "maint", 40), Vm("x", "a", 4)]);

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.Drain, DrainHost: "maint"));

        Assert.Equal(["1", "2", "3"], plan.Moves.Select(m => m.Vm).Order());
        Assert.All(plan.Moves, m => Assert.NotEqual("maint", m.To));
        Assert.Contains(plan.Unmovable, u => u.Vm == "pinned" && u.Reason.Contains("pinned"));
        Assert.Contains(plan.Unmovable, u => u.Vm == "huge" && u.Reason.Contains("reserve"));
        AssertConstraintsHold(fleet, plan, reservePercent: 10);
    }

    [Fact]
    public void Shut_off_vms_weigh_nothing_so_a_drain_moves_them_all_and_the_spread_counts_running_ones_only()
    {
        // What an operator saw: a host with one running guest and a hundred shut-off ones, drained onto a smaller one.
        var stopped = Enumerable.Range(0, 100).Select(i => Vm($"off{i:000}", "kvm-b", 1, running: false));
        var fleet = new FleetSnapshot([Host("kvm-a", gib: 8), Host("kvm-b", gib: 8)], [Vm("web", "kvm-b", 1), .. stopped]);

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.Drain, DrainHost: "kvm-b"));

        Assert.Empty(plan.Unmovable);
        Assert.Equal(101, plan.Moves.Count);
        Assert.Equal("web", plan.Moves[0].Vm);   // the running one first
        Assert.Equal(12.5, plan.SpreadBefore);   // 1 GiB running of 8 on kvm-b, nothing on kvm-a
        Assert.Equal(12.5, plan.SpreadAfter);
        AssertConstraintsHold(fleet, plan, reservePercent: 10);
    }

    [Fact]
    public void Balancing_never_moves_shut_off_vms_for_load_they_do_not_have()
    {
        var fleet = new FleetSnapshot([Host("a", gib: 16), Host("b", gib: 16)],
            [.. Enumerable.Range(0, 20).Select(i => Vm($"off{i}", "a", 4, running: false)), Vm("on1", "a", 2), Vm("on2", "b", 2)]);

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.BalanceMemory, TargetSpreadPoints: 1));

        Assert.Equal(0, plan.SpreadBefore);
        Assert.Empty(plan.Moves);
    }

    [Fact]
    public void Draining_onto_hosts_with_room_empties_the_host()
    {
        var fleet = Uneven(hosts: 20, vms: 200);
        string target = fleet.Vms.GroupBy(v => v.Host).OrderByDescending(g => g.Count()).First().Key;

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.Drain, DrainHost: target));

        Assert.Empty(plan.Unmovable);
        Assert.DoesNotContain(Apply(fleet, plan).Vms, v => v.Host == target);
        AssertConstraintsHold(fleet, plan, reservePercent: 10);
    }

    [Fact]
    public void Balancing_vcpus_evens_out_vcpus_per_cpu()
    {
        var fleet = new FleetSnapshot(
            [Host("a", cpus: 8), Host("b", cpus: 8)],
            Enumerable.Range(0, 8).Select(i => Vm($"v{i}", "a", 1, vcpus: 2)).ToList());

        var plan = FleetPlanner.Plan(fleet, new PlanRequest(PlanStrategy.BalanceVCpus));

        Assert.Equal(4, plan.Moves.Count);
        Assert.Equal(0, plan.SpreadAfter);
    }

    private static void AssertConstraintsHold(FleetSnapshot fleet, FleetPlan plan, double reservePercent)
    {
        var hosts = fleet.Hosts.ToDictionary(h => h.Name);
        var vms = fleet.Vms.ToDictionary(v => v.Name);
        Assert.Equal(plan.Moves.Count, plan.Moves.Select(m => m.Vm).Distinct().Count());
        foreach (var m in plan.Moves)
        {
            var (vm, from, to) = (vms[m.Vm], hosts[m.From], hosts[m.To]);
            Assert.False(vm.Pinned);
            Assert.Equal(from.CpuModel, to.CpuModel);
            Assert.True(vm.VCpus <= to.Cpus);
            Assert.All(vm.Disks, d => Assert.StartsWith(Shared + "/", d));
        }
        foreach (var g in Apply(fleet, plan).Vms.GroupBy(v => v.Host).Where(g => plan.Moves.Any(m => m.To == g.Key)))
            Assert.True(g.Sum(v => v.MemoryInUseKiB) <= hosts[g.Key].MemoryTotalKiB * (1 - reservePercent / 100), $"{g.Key} over its reserve");
    }

    private static FleetSnapshot Apply(FleetSnapshot fleet, FleetPlan plan)
    {
        var to = plan.Moves.ToDictionary(m => m.Vm, m => m.To);
        return fleet with { Vms = fleet.Vms.Select(v => to.TryGetValue(v.Name, out var h) ? v with { Host = h } : v).ToList() };
    }

    private static double Spread(FleetSnapshot fleet)
    {
        var used = fleet.Vms.GroupBy(v => v.Host).ToDictionary(g => g.Key, g => g.Sum(v => v.MemoryInUseKiB));
        var u = fleet.Hosts.Select(h => 100.0 * used.GetValueOrDefault(h.Name) / h.MemoryTotalKiB).ToList();
        return u.Max() - u.Min();
    }
}
