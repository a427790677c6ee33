namespace Drover.TestSupport;

/// <summary>Waits for a condition with a deadline, never for a fixed time: the condition is checked at a steady cadence.</summary>
public static class Eventually
{
    /// <summary>How often the condition is checked (libvirt, the API and the serial logs are cheap to read).</summary>
    private static readonly TimeSpan Cadence = TimeSpan.FromMilliseconds(50);

    public static async Task<T> Get<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        using var checks = new PeriodicTimer(Cadence);
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            await checks.WaitForNextTickAsync();
        }
    }

    public static async Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        using var checks = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
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
