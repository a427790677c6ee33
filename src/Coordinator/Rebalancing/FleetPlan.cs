using Drover.Api;

namespace Drover.Coordinator.Rebalancing;

/// <summary>One migration the plan asks for, and why.</summary>
public sealed record PlannedMove(string Vm, string From, string To, long MemoryKiB, string Reason);

/// <summary>The planner's answer, with the balance before and after (max − min utilisation, percentage points).</summary>
public sealed record FleetPlan(IReadOnlyList<PlannedMove> Moves, IReadOnlyList<UnmovableVm> Unmovable, double SpreadBefore, double SpreadAfter);
