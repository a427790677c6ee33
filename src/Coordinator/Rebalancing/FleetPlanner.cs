using Drover.Api;

namespace Drover.Coordinator.Rebalancing;

/// <summary>
/// Plans migrations from a fleet snapshot; pure (no I/O), so it can be tested and measured at 1,000 hosts.
/// Balancing repeatedly moves one VM from the most loaded host that can still shed load to a cooler host,
/// choosing the largest VM that fits the gap (few moves) but never more than the gap (small moves), and moves
/// each VM at most once, so it always ends. Every move keeps the destination's memory reserve, the CPU model,
/// the VM's shared storage and its vCPUs within the destination's CPUs; pinned VMs stay.
/// </summary>
public static class FleetPlanner
{
    private const int CandidateHosts = 32;
    private const int CandidateVms = 24;

    public static FleetPlan Plan(FleetSnapshot fleet, PlanRequest request)
    {
        var state = new FleetState(fleet, request);
        double before = state.Spread();
        var moves = new List<PlannedMove>();
        var unmovable = new List<UnmovableVm>();
        if (request.Strategy == PlanStrategy.Drain) Drain(state, request, moves, unmovable);
        else Balance(state, request, moves, unmovable);
        return new FleetPlan(moves, unmovable, Math.Round(before, 2), Math.Round(state.Spread(), 2));
    }

    private static void Balance(FleetState s, PlanRequest request, List<PlannedMove> moves, List<UnmovableVm> unmovable)
    {
        var exhausted = new HashSet<int>();
        while (moves.Count < request.MaxMoves)
        {
            int? hot = s.Hottest(exhausted);
            if (hot is not { } h || (s.Utilisation(h) - s.Utilisation(s.Coolest())) * 100 <= request.TargetSpreadPoints) break;
            if (BestMoveFrom(s, h) is { } move)
            {
                moves.Add(s.Apply(move.Vm, h, move.To, request.Strategy));
            }
            else
            {
                exhausted.Add(h);
                unmovable.Add(new UnmovableVm("*", s.Hosts[h].Name, $"{s.Hosts[h].Name} stays at {s.Utilisation(h) * 100:0.#}%: none of its VMs can move (pinned, local disks, or no compatible host with room)"));
            }
        }
    }

    private static (FleetVm Vm, int To)? BestMoveFrom(FleetState s, int hot)
    {
        double mean = s.MeanUtilisation();
        double excess = s.Load[hot] - mean * s.Capacity[hot];
        foreach (int to in s.CoolestFirst().Take(CandidateHosts))
        {
            if (to == hot || s.Utilisation(to) >= s.Utilisation(hot)) break;
            double gap = Math.Min(excess, mean * s.Capacity[to] - s.Load[to]);
            var candidates = s.VmsOn(hot);
            // The largest VM not above the gap...
            int upper = s.IndexAtMost(candidates, gap);
            for (int i = upper; i >= 0 && i > upper - CandidateVms; i--)
                if (s.CanTake(candidates[i], hot, to) is null) return (candidates[i], to);
            // ...or else the smallest one that leaves the destination below where the source is now (the higher
            // of the two then drops, so the spread shrinks).
            for (int i = upper + 1; i < candidates.Count && i <= upper + CandidateVms; i++)
            {
                var vm = candidates[i];
                if ((s.Load[to] + s.LoadOf(vm)) / s.Capacity[to] < s.Utilisation(hot) && s.CanTake(vm, hot, to) is null)
                    return (vm, to);
            }
        }
        return null;
    }

    private static void Drain(FleetState s, PlanRequest request, List<PlannedMove> moves, List<UnmovableVm> unmovable)
    {
        int from = s.IndexOf(request.DrainHost ?? throw new ArgumentException("Drain needs a host", nameof(request)))
            ?? throw new ArgumentException($"Unknown host '{request.DrainHost}'", nameof(request));
        foreach (var vm in s.VmsOn(from).OrderByDescending(v => v.MemoryInUseKiB).ToList())   // the running ones first, largest first
        {
            if (moves.Count >= request.MaxMoves)
            {
                unmovable.Add(new UnmovableVm(vm.Name, s.Hosts[from].Name, $"the plan is limited to {request.MaxMoves} moves"));
                continue;
            }
            string? lastReason = null;
            int? best = null;
            foreach (int to in s.CoolestFirst())
            {
                if (to == from) continue;
                if (s.CanTake(vm, from, to) is { } why) { lastReason ??= why; continue; }
                if (best is null || s.MemoryRoom(to) > s.MemoryRoom(best.Value)) best = to;
            }
            if (best is { } chosen) moves.Add(s.Apply(vm, from, chosen, PlanStrategy.Drain));
            else unmovable.Add(new UnmovableVm(vm.Name, s.Hosts[from].Name, lastReason ?? "no other host is up"));
        }
    }
}
