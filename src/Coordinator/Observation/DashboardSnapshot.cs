using Drover.Api;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using Drover.Coordinator.Rebalancing;

namespace Drover.Coordinator.Observation;

/// <summary>What the dashboard shows: migrations in flight, recent outcomes, hosts, fleet jobs.</summary>
public sealed record DashboardSnapshot(IReadOnlyList<MigrationView> Active, IReadOnlyList<MigrationView> Recent, IReadOnlyList<HostView> Hosts, IReadOnlyList<RebalanceView> Jobs);
