namespace Drover.HostAgent.Libvirt;

/// <summary>
/// libvirt's default event loop on a dedicated thread. It must be registered before the first connection
/// is opened; it delivers domain events and keeps connections' keepalive going.
/// </summary>
public static class LibvirtEventLoop
{
    /// <summary>How often the loop turns at least, events or not.</summary>
    public static readonly TimeSpan Pulse = TimeSpan.FromSeconds(1);

    private static readonly Lock Gate = new();
    private static Thread? _thread;
    private static long _lastTurn;

    public static bool IsRunning => _thread is not null;

    /// <summary>When the loop last finished a turn (<see cref="Environment.TickCount64"/>); null before it started.</summary>
    public static TimeSpan? SinceLastTurn => IsRunning ? TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastTurn)) : null;

    public static void EnsureStarted()
    {
        lock (Gate)
        {
            if (_thread is not null) return;
            Interop.Initialize();
            Interop.RegisterEventImpl();
            Interop.AddPulse(Pulse);
            Volatile.Write(ref _lastTurn, Environment.TickCount64);
            _thread = new Thread(Run) { IsBackground = true, Name = "libvirt-events" };
            _thread.Start();
        }
    }

    private static void Run()
    {
        while (true)
        {
            try { Interop.RunEventLoopOnce(); }
            catch (LibvirtException) { /* one failed iteration; the loop carries on */ }
            Volatile.Write(ref _lastTurn, Environment.TickCount64);
        }
    }
}
