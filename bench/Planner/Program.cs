using System.Diagnostics;
using Drover.Coordinator.Rebalancing;
using Drover.TestSupport;

// Plans a memory rebalance for synthetic fleets (skewed load) several times and reports the median planning time.
// Without arguments: 10,000 hosts × 200,000 VMs, then 1,000 hosts × 20,000 VMs; the last two lines are
//   planner 10k: T ms, spread A→B pp, M moves
//   planner: T ms, spread A→B pp, M moves
// With HOSTS VMS [RUNS]: that fleet only, as the last line.
if (args.Length > 0)
{
    Console.WriteLine($"planner: {Measure(int.Parse(args[0]), int.Parse(args[1]), args.Length > 2 ? int.Parse(args[2]) : 5)}");
    return;
}
string tenThousand = Measure(10_000, 200_000, runs: 3);
string thousand = Measure(1_000, 20_000, runs: 5);
Console.WriteLine($"planner 10k: {tenThousand}");
Console.WriteLine($"planner: {thousand}");

static string Measure(int hosts, int vms, int runs)
{
    var fleet = SyntheticFleet.Uneven(hosts, vms);
    var request = new PlanRequest(PlanStrategy.BalanceMemory);
    FleetPlanner.Plan(fleet, request);   // warm-up: JIT
    var times = new List<double>();
    FleetPlan plan = null!;
    for (int i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        plan = FleetPlanner.Plan(fleet, request);
        times.Add(clock.Elapsed.TotalMilliseconds);
        Console.WriteLine($"{hosts} hosts, run {i + 1}: {times[^1]:0} ms");
    }
    double median = times.Order().ElementAt(times.Count / 2);
    long movedGiB = plan.Moves.Sum(m => m.MemoryKiB) >> 20;
    Console.WriteLine($"fleet: {hosts} hosts, {vms} VMs; moves: {plan.Moves.Count} ({movedGiB} GiB); hosts that could not shed load: {plan.Unmovable.Count}");
    return $"{median:0} ms, spread {plan.SpreadBefore:0.#}→{plan.SpreadAfter:0.#} pp, {plan.Moves.Count} moves";
}
