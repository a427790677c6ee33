namespace Drover.TestSupport;

/// <summary>Waits for a condition with a deadline, never for a fixed time: the condition is checked at a steady cadence.</summary>
public static class Eventually
{
    /// <summary>How often the condition is checked (libvirt, the API and the serial logs are cheap to read).</summary>
    private static readonly TimeSpan Cadence = TimeSpan.FromMilliseconds(50);

    public static Task<T> Get<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class =>
        Poll(() => Task.FromResult(probe()), Cadence, timeout, what);

    /// <summary>The same for a probe that asks over the network (the coordinator's API): checked four times a second.</summary>
    public static Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class =>
        Poll(probe, TimeSpan.FromMilliseconds(250), timeout, what);

    private static async Task<T> Poll<T>(Func<Task<T?>> probe, TimeSpan cadence, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        using var checks = new PeriodicTimer(cadence);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            await checks.WaitForNextTickAsync();
        }
    }

    public static Task True(Func<bool> condition, TimeSpan timeout, string what) =>
        Get(() => condition() ? "yes" : null, timeout, what);
}
