using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

internal static unsafe partial class Interop
{
    internal const int EventIdLifecycle = 0;
    internal const int EventIdJobCompleted = 21;

    [LibraryImport(Lib)]
    private static partial int virEventRegisterDefaultImpl();

    [LibraryImport(Lib)]
    private static partial int virEventRunDefaultImpl();

    [LibraryImport(Lib)]
    private static partial int virEventAddTimeout(int periodMs, IntPtr callback, IntPtr opaque, IntPtr freeCallback);

    [LibraryImport(Lib)]
    private static partial int virConnectDomainEventRegisterAny(SafeConnectionHandle c, IntPtr domain, int eventId, IntPtr callback, IntPtr opaque, IntPtr freeCallback);

    [LibraryImport(Lib)]
    private static partial int virConnectDomainEventDeregisterAny(SafeConnectionHandle c, int callbackId);

    /// <summary>Receives the events of one connection; called on the event-loop thread.</summary>
    internal interface IEventSink
    {
        void OnLifecycle(string domainName, Guid domainUuid, int eventType, int detail);

        void OnJobCompleted(string domainName, IReadOnlyDictionary<string, object> statistics);
    }

    internal static void RegisterEventImpl() => Check(virEventRegisterDefaultImpl(), "virEventRegisterDefaultImpl");

    internal static void RunEventLoopOnce() => Check(virEventRunDefaultImpl(), "virEventRunDefaultImpl");

    /// <summary>A timer that does nothing but wake the event loop every period, so that a turn of the loop is proof it runs.</summary>
    internal static void AddPulse(TimeSpan period)
    {
        var pulse = (IntPtr)(delegate* unmanaged[Cdecl]<int, IntPtr, void>)&OnPulse;
        Check(virEventAddTimeout((int)period.TotalMilliseconds, pulse, IntPtr.Zero, IntPtr.Zero), "virEventAddTimeout");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPulse(int timer, IntPtr opaque)
    {
    }

    /// <summary>Registers lifecycle and job-completed callbacks; returns their ids.</summary>
    internal static int[] RegisterEvents(SafeConnectionHandle c, GCHandle sink)
    {
        IntPtr opaque = GCHandle.ToIntPtr(sink);
        var lifecycle = (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, IntPtr, int>)&OnLifecycle;
        var jobCompleted = (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, int, IntPtr, void>)&OnJobCompleted;
        return
        [
            Check(virConnectDomainEventRegisterAny(c, IntPtr.Zero, EventIdLifecycle, lifecycle, opaque, IntPtr.Zero), "virConnectDomainEventRegisterAny(lifecycle)"),
            Check(virConnectDomainEventRegisterAny(c, IntPtr.Zero, EventIdJobCompleted, jobCompleted, opaque, IntPtr.Zero), "virConnectDomainEventRegisterAny(job-completed)"),
        ];
    }

    internal static void DeregisterEvent(SafeConnectionHandle c, int callbackId) => virConnectDomainEventDeregisterAny(c, callbackId);

    private static IEventSink Sink(IntPtr opaque) => (IEventSink)GCHandle.FromIntPtr(opaque).Target!;

    private static Guid UuidOf(IntPtr domain)
    {
        byte* buffer = stackalloc byte[37];
        return virDomainGetUUIDStringRaw(domain, buffer) == 0 ? Guid.Parse(Marshal.PtrToStringUTF8((IntPtr)buffer)!) : Guid.Empty;
    }

    [LibraryImport(Lib, EntryPoint = "virDomainGetName")]
    private static partial IntPtr virDomainGetNameRaw(IntPtr domain);

    [LibraryImport(Lib, EntryPoint = "virDomainGetUUIDString")]
    private static partial int virDomainGetUUIDStringRaw(IntPtr domain, byte* buffer);

    // Callbacks must never throw into native code.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnLifecycle(IntPtr connection, IntPtr domain, int eventType, int detail, IntPtr opaque)
    {
        try { Sink(opaque).OnLifecycle(BorrowedString(virDomainGetNameRaw(domain)) ?? "", UuidOf(domain), eventType, detail); }
        catch (Exception) { /* a faulty subscriber must not take the event loop down */ }
        return 0;
    }

    // The statistics belong to libvirt here: read, never free.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnJobCompleted(IntPtr connection, IntPtr domain, IntPtr parameters, int count, IntPtr opaque)
    {
        try { Sink(opaque).OnJobCompleted(BorrowedString(virDomainGetNameRaw(domain)) ?? "", ReadTypedParams(parameters, count)); }
        catch (Exception) { /* as above */ }
    }
}
