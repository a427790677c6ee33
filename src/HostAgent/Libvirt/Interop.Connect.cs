using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

internal static unsafe partial class Interop
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirNodeInfo
    {
        public fixed byte Model[32];
        public ulong MemoryKiB;
        public uint Cpus;
        public uint Mhz;
        public uint Nodes;
        public uint Sockets;
        public uint Cores;
        public uint Threads;
    }

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeConnectionHandle virConnectOpen(string? name);

    [LibraryImport(Lib)]
    private static partial int virConnectClose(IntPtr connection);

    [LibraryImport(Lib)]
    private static partial IntPtr virConnectGetHostname(SafeConnectionHandle connection);

    [LibraryImport(Lib)]
    private static partial int virConnectGetLibVersion(SafeConnectionHandle connection, out ulong version);

    [LibraryImport(Lib)]
    private static partial int virConnectGetVersion(SafeConnectionHandle connection, out ulong version);

    [LibraryImport(Lib)]
    private static partial int virNodeGetInfo(SafeConnectionHandle connection, out VirNodeInfo info);

    [LibraryImport(Lib)]
    private static partial ulong virNodeGetFreeMemory(SafeConnectionHandle connection);

    [LibraryImport(Lib)]
    private static partial IntPtr virConnectGetCapabilities(SafeConnectionHandle connection);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int virConnectCompareHypervisorCPU(
        SafeConnectionHandle connection, string? emulator, string? arch, string? machine, string? virtType, string xmlCpu, uint flags);

    [LibraryImport(Lib)]
    private static partial int virConnectIsAlive(SafeConnectionHandle connection);

    [LibraryImport(Lib)]
    private static partial int virConnectSetKeepAlive(SafeConnectionHandle connection, int interval, uint count);

    internal static SafeConnectionHandle OpenConnection(string uri)
    {
        var handle = virConnectOpen(uri);
        if (handle.IsInvalid)
        {
            var error = LibvirtException.FromLastError($"virConnectOpen({uri})");
            handle.Dispose();
            throw error;
        }
        return handle;
    }

    internal static int CloseConnection(IntPtr connection) => virConnectClose(connection);

    internal static string GetHostname(SafeConnectionHandle c) => CheckString(virConnectGetHostname(c), "virConnectGetHostname");

    internal static ulong GetLibVersion(SafeConnectionHandle c)
    {
        Check(virConnectGetLibVersion(c, out ulong v), "virConnectGetLibVersion");
        return v;
    }

    internal static ulong GetHypervisorVersion(SafeConnectionHandle c)
    {
        Check(virConnectGetVersion(c, out ulong v), "virConnectGetVersion");
        return v;
    }

    internal static VirNodeInfo GetNodeInfo(SafeConnectionHandle c)
    {
        Check(virNodeGetInfo(c, out VirNodeInfo info), "virNodeGetInfo");
        return info;
    }

    internal static ulong GetFreeMemoryBytes(SafeConnectionHandle c)
    {
        ulong free = virNodeGetFreeMemory(c);
        return free != 0 ? free : throw LibvirtException.FromLastError("virNodeGetFreeMemory");
    }

    internal static string GetCapabilities(SafeConnectionHandle c) => CheckString(virConnectGetCapabilities(c), "virConnectGetCapabilities");

    internal static int CompareHypervisorCpu(SafeConnectionHandle c, string? virtType, string cpuXml) =>
        Check(virConnectCompareHypervisorCPU(c, null, null, null, virtType, cpuXml, 0), "virConnectCompareHypervisorCPU");

    internal static bool IsAlive(SafeConnectionHandle c) => virConnectIsAlive(c) == 1;

    internal static void SetKeepAlive(SafeConnectionHandle c, int intervalSeconds, uint count) =>
        Check(virConnectSetKeepAlive(c, intervalSeconds, count), "virConnectSetKeepAlive");
}
