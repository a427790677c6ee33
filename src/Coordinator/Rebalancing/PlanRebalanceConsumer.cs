using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Rebalancing;
using Drover.Coordinator.Hosts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Rebalancing;

/// <summary>Takes a snapshot of the inventory, runs the planner on it, and answers the job with its plan.</summary>
public sealed class PlanRebalanceConsumer(HostInventory inventory, IOptions<RebalanceOptions> options) : IConsumer<PlanRebalance>
{
    public async Task Consume(ConsumeContext<PlanRebalance> context)
    {
        var m = context.Message;
        var hosts = await inventory.All(context.CancellationToken);
        bool drain = m.DrainHost is not null;
        if (drain && hosts.All(h => h.Name != m.DrainHost))
        {
            await context.Publish(new RebalancePlanned { RebalanceId = m.RebalanceId, Moves = [], Unmovable = [], SpreadBefore = 0, SpreadAfter = 0, Error = $"Unknown host '{m.DrainHost}'" });
            return;
        }
        var snapshot = Snapshot(hosts, includeStopped: drain, options.Value);
        var plan = FleetPlanner.Plan(snapshot, Request(m.Strategy, m.DrainHost, options.Value) with { TargetSpreadPoints = m.TargetSpreadPoints });
        await context.Publish(new RebalancePlanned
        {
            RebalanceId = m.RebalanceId,
            Moves = plan.Moves.Select(p => new RebalanceMove
            {
                MigrationId = NewId.NextGuid(), Vm = p.Vm, From = p.From, To = p.To, MemoryKiB = p.MemoryKiB, Reason = p.Reason,
                Kind = Running(hosts, p.From, p.Vm) ? MigrationKind.Live : MigrationKind.Offline,
            }).ToList(),
            Unmovable = plan.Unmovable,
            SpreadBefore = plan.SpreadBefore,
            SpreadAfter = plan.SpreadAfter,
        });
    }

    /// <summary>The fleet as the planner sees it: running VMs load their hosts; a drain also moves shut-off ones, which weigh
    /// nothing.</summary>
    private static FleetSnapshot Snapshot(IReadOnlyList<HostView> hosts, bool includeStopped, RebalanceOptions options)
    {
        var pinned = options.PinnedVms.ToHashSet();
        return new FleetSnapshot(
            hosts.Select(h => new FleetHost(h.Name, h.MemoryTotalKiB, h.Cpus, h.CpuModel, h.SharedStorage, h.Status == HostStatus.Up)).ToList(),
            hosts.SelectMany(h => h.Domains
                    .Where(d => includeStopped || d.State.IsActive())
                    .Select(d => new FleetVm(d.Name, h.Name, d.MemoryKiB, d.VCpus, d.Disks, pinned.Contains(d.Name), Running: d.State.IsActive())))
                .ToList());
    }

    private static PlanRequest Request(RebalanceStrategy strategy, string? drainHost, RebalanceOptions options) => new(
        drainHost is not null ? PlanStrategy.Drain : strategy == RebalanceStrategy.BalanceVCpus ? PlanStrategy.BalanceVCpus : PlanStrategy.BalanceMemory,
        drainHost, options.ReservePercent);

    /// <summary>The spread of the fleet as the hosts describe it now, by the measure a job of this kind plans with.</summary>
    public static double Spread(IReadOnlyList<HostView> hosts, RebalanceStrategy strategy, string? drainHost, RebalanceOptions options) =>
        Math.Round(new FleetState(Snapshot(hosts, includeStopped: drainHost is not null, options), Request(strategy, drainHost, options)).Spread(), 2);

    private static bool Running(IReadOnlyList<HostView> hosts, string host, string vm) =>
        hosts.Where(h => h.Name == host).SelectMany(h => h.Domains).Any(d => d.Name == vm && d.State.IsActive());
}
