namespace Drover.Coordinator.Migrations;

/// <summary>Progress figures for people: a percentage that never goes down and an estimate of the time left.</summary>
public static class TransferProgress
{
    /// <summary>Processed over processed plus remaining; later iterations re-send dirty pages, so it is held at its highest value.</summary>
    public static double Percent(double previous, long processed, long remaining)
    {
        if (processed + remaining <= 0) return previous;
        double now = 100.0 * processed / (processed + remaining);
        return Math.Round(Math.Clamp(Math.Max(previous, now), 0, 99.9), 1);
    }

    /// <summary>Remaining bytes over the net rate (bandwidth minus dirty rate); null while the guest dirties memory faster than it is copied.</summary>
    public static double? EtaSeconds(long remaining, long bandwidth, long dirtyRate)
    {
        long net = bandwidth - dirtyRate;
        return net > 0 ? Math.Round((double)remaining / net, 1) : null;
    }
}
