namespace Drover.Coordinator.Migrations;

/// <summary>How long the saga waits before it sends a step again, or starts another attempt. Durable: the wait is a deadline on the row.</summary>
public static class Backoff
{
    /// <summary>After the <paramref name="resends"/>-th sending of a step found a host unreachable: 1 s, 2 s, 4 s ... up to the cap.</summary>
    public static TimeSpan Step(int resends, SagaOptions o) => Exponential(o.ResendBackoff, resends, o.ResendBackoffMax);

    /// <summary>Before attempt <paramref name="attempt"/> (2 and up).</summary>
    public static TimeSpan Attempt(int attempt, SagaOptions o) => Exponential(o.RetryBackoff, attempt - 2, o.RetryBackoffMax);

    private static TimeSpan Exponential(TimeSpan first, int doublings, TimeSpan max) =>
        TimeSpan.FromTicks((long)Math.Min(max.Ticks, first.Ticks * Math.Pow(2, Math.Clamp(doublings, 0, 30))));
}
