namespace Drover.Coordinator.Migrations;

/// <summary>
/// Predicts a pre-copy live migration from the guest's measured dirty rate (pure). Each pass sends what is dirty at the
/// bandwidth; while it runs the guest dirties more — at least what it dirtied over the measuring window, since a guest
/// that rewrites the same pages reads slower over a long window than it really is (measured in the lab: the hot guest's
/// 64 MiB working set read 17 MB/s over 5 s, 60 MB/s over 1 s). The switch comes when what is left fits into the maximum
/// downtime at the bandwidth. A forecast that needs more than <see cref="MaxIterations"/> passes does not converge.
/// </summary>
public static class ConvergencePrediction
{
    public const int MaxIterations = 30;

    /// <summary>The outcome: converges or not, the time to the switch and the pause at it, and the passes.</summary>
    public sealed record Forecast(bool Converges, double Seconds, double DowntimeMs, int Iterations);

    public static Forecast Predict(double firstPassMiB, double memoryMiB, double dirtyMiBps, double windowSeconds, double bandwidthMiBps, double maxDowntimeMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandwidthMiBps);
        double left = firstPassMiB, elapsed = 0, fits = bandwidthMiBps * maxDowntimeMs / 1000;
        for (int pass = 1; pass <= MaxIterations; pass++)
        {
            if (left <= fits) return new(true, elapsed + left / bandwidthMiBps, left / bandwidthMiBps * 1000, pass);
            double seconds = left / bandwidthMiBps;
            elapsed += seconds;
            left = Math.Min(memoryMiB, dirtyMiBps * Math.Max(seconds, windowSeconds));
        }
        return new(false, elapsed, left / bandwidthMiBps * 1000, MaxIterations);
    }

    /// <summary>The lowest whole bandwidth (MiB/s) at which it converges, up to <paramref name="ceilingMiBps"/>; null above.</summary>
    public static long? BandwidthNeeded(double firstPassMiB, double memoryMiB, double dirtyMiBps, double windowSeconds, double maxDowntimeMs, long ceilingMiBps = 100_000)
    {
        if (!Predict(firstPassMiB, memoryMiB, dirtyMiBps, windowSeconds, ceilingMiBps, maxDowntimeMs).Converges) return null;
        long low = 1, high = ceilingMiBps;   // converging is monotone in the bandwidth
        while (low < high)
        {
            long mid = (low + high) / 2;
            if (Predict(firstPassMiB, memoryMiB, dirtyMiBps, windowSeconds, mid, maxDowntimeMs).Converges) high = mid;
            else low = mid + 1;
        }
        return low;
    }
}
