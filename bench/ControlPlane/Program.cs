using System.Globalization;
using Drover.ControlPlaneBench;

// The control plane's capacity with simulated hypervisors (bench/control-plane.sh starts the broker and PostgreSQL):
// N migrations over simulated hosts, requested on the bus as fast as the publisher can, once per configuration. Prints each
// run's figures and, last, the summary line of docs/BENCHMARKS.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var results = new List<RunResult>();
foreach (var configuration in options.Configurations)
{
    Console.WriteLine($"== {configuration.Name}: {options.Migrations} migrations after {options.WarmUp} unmeasured, {options.Hosts} simulated hosts, " +
                      $"{options.Vms} VMs (limits: {options.MaxConcurrent} at once, {options.PerHost} per host each way)");
    var r = await new ControlPlaneRun(configuration, options).Execute();
    results.Add(r);
    if (r.WarmUp.Migrations > 0)
        Console.WriteLine($"   warm-up: {Outcomes(r.WarmUp)}; {r.WarmUp.Rate:0.0} migrations/s, coordinator cpu {r.WarmUp.CoordinatorCpuPerMigration:0.00} ms/migration (a cold start's)");
    var m = r.Measured;
    Console.WriteLine($"   outcomes: {Outcomes(m)}");
    Console.WriteLine($"   {m.Rate:0.0} migrations/s ({m.Elapsed.TotalSeconds:0.0} s); migration p50 {r.EndToEndMs.P50:0} ms p99 {r.EndToEndMs.P99:0} ms; " +
                      $"step p50 {r.AllStepsMs.P50:0} ms p99 {r.AllStepsMs.P99:0} ms");
    foreach (var (step, (p50, p99)) in r.StepMs.OrderBy(kv => kv.Key)) Console.WriteLine($"     {step,-22} p50 {p50,6:0} ms  p99 {p99,6:0} ms");
    Console.WriteLine($"   cpu per migration: {string.Join(", ", m.CpuMs.Select(kv => $"{kv.Key} {kv.Value / options.Migrations:0.00} ms"))}");
    Console.WriteLine($"   idle fleet: {r.IdleCpuPerHeartbeatMs:0.00} ms of coordinator, broker and database cpu per heartbeat");
}

if (results.Where(r => r.NotCompleted > 0).ToList() is { Count: > 0 } cut)
{
    // A rejection or rollback ends a migration early and cheaply: the rate would flatter the control plane.
    Console.WriteLine($"control plane: not measured: {string.Join(", ", cut.Select(r => $"{r.Configuration.Name} had {r.NotCompleted} of {options.WarmUp + options.Migrations} migrations not completed"))}");
    return 1;
}

string Rate(Configuration c) => results.FirstOrDefault(r => r.Configuration == c) is { } r ? $"{r.Measured.Rate:0.0}/s" : "not run";
var first = results[0];
Console.WriteLine($"control plane: {options.Migrations} migrations, postgres 1 coordinator {Rate(Configuration.All[0])}, 2 coordinators {Rate(Configuration.All[1])}, " +
                  $"sqlite {Rate(Configuration.All[2])}, step p50 {first.AllStepsMs.P50:0} ms p99 {first.AllStepsMs.P99:0} ms, " +
                  $"coordinator cpu {first.Measured.CoordinatorCpuPerMigration:0.0} ms/migration");
return 0;

static string Outcomes(WaveResult w) => string.Join(", ", w.Outcomes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"));
