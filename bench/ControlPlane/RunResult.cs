namespace Drover.ControlPlaneBench;

/// <summary>What one configuration measured.</summary>
public sealed record RunResult(
    Configuration Configuration,
    int Migrations,
    IReadOnlyDictionary<string, int> Outcomes,
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, double> CpuMs,
    IReadOnlyDictionary<string, (double P50, double P99)> StepMs,
    (double P50, double P99) AllStepsMs,
    (double P50, double P99) EndToEndMs,
    double IdleCpuPerHeartbeatMs)
{
    public double Rate => Outcomes.Values.Sum() / Elapsed.TotalSeconds;

    /// <summary>Migrations that ended otherwise than completed: a run with any is no capacity figure (the flow was cut short).</summary>
    public int NotCompleted => Outcomes.Where(kv => kv.Key != "completed").Sum(kv => kv.Value);

    public double CoordinatorCpuPerMigration => CpuMs.Where(kv => kv.Key.StartsWith("coordinator")).Sum(kv => kv.Value) / Math.Max(1, Migrations);
}
