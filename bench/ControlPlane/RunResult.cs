namespace Drover.ControlPlaneBench;

/// <summary>One wave of migrations: how many, how they ended, how long they took, the CPU each process spent meanwhile.</summary>
public sealed record WaveResult(int Migrations, IReadOnlyDictionary<string, int> Outcomes, TimeSpan Elapsed, IReadOnlyDictionary<string, double> CpuMs)
{
    public double Rate => Outcomes.Values.Sum() / Elapsed.TotalSeconds;

    /// <summary>Migrations that ended otherwise than completed: a run with any is no capacity figure (the flow was cut short).</summary>
    public int NotCompleted => Outcomes.Where(kv => kv.Key != "completed").Sum(kv => kv.Value);

    public double CoordinatorCpuPerMigration => CpuMs.Where(kv => kv.Key.StartsWith("coordinator")).Sum(kv => kv.Value) / Math.Max(1, Migrations);
}

/// <summary>What one configuration measured: the measured wave after the warm-up's.</summary>
public sealed record RunResult(
    Configuration Configuration,
    WaveResult Measured,
    IReadOnlyDictionary<string, (double P50, double P99)> StepMs,
    (double P50, double P99) AllStepsMs,
    (double P50, double P99) EndToEndMs,
    double IdleCpuPerHeartbeatMs,
    WaveResult WarmUp)
{
    /// <summary>Not completed in either wave.</summary>
    public int NotCompleted => Measured.NotCompleted + WarmUp.NotCompleted;
}
