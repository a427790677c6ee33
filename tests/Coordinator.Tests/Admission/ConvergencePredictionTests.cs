using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Tests.Admission;

/// <summary>The convergence forecast (pure): passes shrink while the guest dirties less than the bandwidth, and the switch
/// waits until what is left fits into the downtime.</summary>
[Trait("Category", "Fast")]
public sealed class ConvergencePredictionTests
{
    [Fact]
    public void A_quiet_guest_converges_in_a_few_passes_with_the_pause_under_the_ceiling()
    {
        // 128 MiB at 32 MiB/s, dirtying 5 MiB/s: 4 s, then 20 MiB (0.6 s), then 5 MiB, which fits in 300 ms.
        var f = ConvergencePrediction.Predict(128, 128, 5, 1, 32, 300);

        Assert.True(f.Converges);
        Assert.Equal(3, f.Iterations);
        Assert.Equal(4 + 20.0 / 32 + 5.0 / 32, f.Seconds, 3);
        Assert.Equal(5.0 / 32 * 1000, f.DowntimeMs, 3);
    }

    [Fact]
    public void A_guest_that_dirties_faster_than_the_bandwidth_never_converges()
    {
        var f = ConvergencePrediction.Predict(128, 128, 60, 1, 32, 100);

        Assert.False(f.Converges);
        Assert.Equal(ConvergencePrediction.MaxIterations, f.Iterations);
    }

    [Fact]
    public void A_working_set_larger_than_the_downtime_allows_does_not_converge_even_below_the_bandwidth()
    {
        // 20 MiB/s against 32 MiB/s, but 20 MiB dirty after every pass cannot go in 100 ms (3.2 MiB).
        Assert.False(ConvergencePrediction.Predict(128, 128, 20, 1, 32, 100).Converges);
        Assert.True(ConvergencePrediction.Predict(128, 128, 20, 1, 32, 700).Converges);
    }

    [Fact]
    public void The_bandwidth_needed_is_the_least_that_converges()
    {
        long needed = ConvergencePrediction.BandwidthNeeded(128, 128, 60, 1, 100)!.Value;

        Assert.True(ConvergencePrediction.Predict(128, 128, 60, 1, needed, 100).Converges);
        Assert.False(ConvergencePrediction.Predict(128, 128, 60, 1, needed - 1, 100).Converges);
        Assert.Equal(600, needed);   // 60 MiB left after each pass must go in 100 ms
    }
}
