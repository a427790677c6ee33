using System.Diagnostics;
using Drover.Coordinator.Rebalancing;
using Drover.TestSupport;

// Plans a memory rebalance for a synthetic fleet (default 1,000 hosts, 20,000 VMs, skewed load) several times
// and reports the median planning time. Last line: "planner: T ms, spread A→B pp, M moves".
int hosts = args.Length > 0 ? int.Parse(args[0]) : 1000;
int vms = args.Length > 1 ? int.Parse(args[1]) : 20_000;
int runs = args.Length > 2 ? int.Parse(args[2]) : 5;
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
    Console.WriteLine($"run {i + 1}: {times[^1]:0} ms");
}
double median = times.Order().ElementAt(times.Count / 2);
long movedGiB = plan.Moves.Sum(m => m.MemoryKiB) >> 20;
Console.WriteLine($"fleet: {hosts} hosts, {vms} VMs; moves: {plan.Moves.Count} ({movedGiB} GiB); hosts that could not shed load: {plan.Unmovable.Count}");
Console.WriteLine($"planner: {median:0} ms, spread {plan.SpreadBefore:0.#}→{plan.SpreadAfter:0.#} pp, {plan.Moves.Count} moves");
