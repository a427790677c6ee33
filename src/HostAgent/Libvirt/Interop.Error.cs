using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

internal static unsafe partial class Interop
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirError
    {
        public int Code;
        public int Domain;
        public IntPtr Message;
        public int Level;
        public IntPtr Conn;
        public IntPtr Dom;
        public IntPtr Str1, Str2, Str3;
        public int Int1, Int2;
        public IntPtr Net;
    }

    // Thread-local in libvirt and overwritten by the next call on the same thread.
    [LibraryImport(Lib)]
    internal static partial VirError* virGetLastError();

    [LibraryImport(Lib)]
    private static partial void virSetErrorFunc(IntPtr userData, delegate* unmanaged[Cdecl]<IntPtr, VirError*, void> handler);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void IgnoreError(IntPtr userData, VirError* error)
    {
        // libvirt's default handler prints every error to stderr; ours are thrown as exceptions instead.
    }

    private static int _initialized;

    /// <summary>Silences libvirt's stderr error printing. Safe to call more than once.</summary>
    internal static void Initialize()
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 0)
            virSetErrorFunc(IntPtr.Zero, &IgnoreError);
    }
}
