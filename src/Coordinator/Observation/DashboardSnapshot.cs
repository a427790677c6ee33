using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Observation;

/// <summary>What the dashboard shows: migrations in flight, recent outcomes, hosts.</summary>
public sealed record DashboardSnapshot(IReadOnlyList<MigrationView> Active, IReadOnlyList<MigrationView> Recent, IReadOnlyList<HostView> Hosts);
