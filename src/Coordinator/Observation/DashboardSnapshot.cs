using Drover.Api;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using Drover.Coordinator.Rebalancing;

namespace Drover.Coordinator.Observation;

/// <summary>What the dashboard shows: migrations in flight, recent outcomes, hosts, fleet jobs, and migrations finished per
/// minute by outcome over the last half hour.</summary>
public sealed record DashboardSnapshot(
    IReadOnlyList<MigrationView> Active, IReadOnlyList<MigrationView> Recent, IReadOnlyList<HostView> Hosts, IReadOnlyList<RebalanceView> Jobs,
    IReadOnlyList<OutcomesPerMinute> PerMinute);

/// <summary>How many migrations ended in each final state during one minute.</summary>
public sealed record OutcomesPerMinute(DateTime Minute, IReadOnlyDictionary<string, int> Outcomes);
