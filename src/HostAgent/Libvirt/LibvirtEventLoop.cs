namespace Drover.HostAgent.Libvirt;

/// <summary>
/// libvirt's default event loop on a dedicated thread. It must be registered before the first connection
/// is opened; it delivers domain events and keeps connections' keepalive going.
/// </summary>
public static class LibvirtEventLoop
{
    private static readonly Lock Gate = new();
    private static Thread? _thread;

    public static bool IsRunning => _thread is not null;

    public static void EnsureStarted()
    {
        lock (Gate)
        {
            if (_thread is not null) return;
            Interop.Initialize();
            Interop.RegisterEventImpl();
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
        }
    }
}
