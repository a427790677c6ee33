using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

/// <summary>
/// P/Invoke declarations for libvirt.so.0 (the unversioned libvirt.so comes only with libvirt-dev).
/// Imports are private; the internal wrapper beside each one checks the return code and throws
/// <see cref="LibvirtException"/> with libvirt's own error, read at once on the failing thread.
/// </summary>
internal static unsafe partial class Interop
{
    private const string Lib = "libvirt.so.0";

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    /// <summary>A string libvirt owns (never freed by us).</summary>
    internal static string? BorrowedString(IntPtr p) => p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);

    /// <summary>A string the caller owns: copied, then released with libc's free().</summary>
    internal static string? OwnedString(IntPtr p)
    {
        if (p == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(p); }
        finally { Free(p); }
    }

    private static int Check(int rc, string operation) => rc >= 0 ? rc : throw LibvirtException.FromLastError(operation);

    private static IntPtr Check(IntPtr p, string operation) => p != IntPtr.Zero ? p : throw LibvirtException.FromLastError(operation);

    private static string CheckString(IntPtr p, string operation) => OwnedString(Check(p, operation))!;
}
