using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

internal static unsafe partial class Interop
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirDomainInfo
    {
        public byte State;
        public ulong MaxMemKiB;
        public ulong MemoryKiB;
        public ushort VCpus;
        public ulong CpuTimeNs;
    }

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr virDomainLookupByName(SafeConnectionHandle connection, string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr virDomainLookupByUUIDString(SafeConnectionHandle connection, string uuid);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr virDomainDefineXMLFlags(SafeConnectionHandle connection, string xml, uint flags);

    [LibraryImport(Lib)]
    private static partial int virConnectListAllDomains(SafeConnectionHandle connection, out IntPtr domains, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainFree(IntPtr domain);

    [LibraryImport(Lib)]
    private static partial IntPtr virDomainGetName(SafeDomainHandle domain);

    [LibraryImport(Lib)]
    private static partial int virDomainGetUUIDString(SafeDomainHandle domain, byte* buffer);

    [LibraryImport(Lib)]
    private static partial IntPtr virDomainGetXMLDesc(SafeDomainHandle domain, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainGetState(SafeDomainHandle domain, out int state, out int reason, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainGetInfo(SafeDomainHandle domain, out VirDomainInfo info);

    [StructLayout(LayoutKind.Sequential)]
    internal struct VirDomainBlockInfo
    {
        public ulong Capacity;     // what the guest sees
        public ulong Allocation;   // what the host has written
        public ulong Physical;     // what the host holds
    }

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int virDomainGetBlockInfo(SafeDomainHandle domain, string disk, out VirDomainBlockInfo info, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainIsPersistent(SafeDomainHandle domain);

    [LibraryImport(Lib)]
    private static partial int virDomainGetAutostart(SafeDomainHandle domain, out int autostart);

    [LibraryImport(Lib)]
    private static partial int virDomainSetAutostart(SafeDomainHandle domain, int autostart);

    [LibraryImport(Lib)]
    private static partial int virDomainCreate(SafeDomainHandle domain);

    [LibraryImport(Lib)]
    private static partial int virDomainDestroy(SafeDomainHandle domain);

    [LibraryImport(Lib)]
    private static partial int virDomainUndefineFlags(SafeDomainHandle domain, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainSuspend(SafeDomainHandle domain);

    [LibraryImport(Lib)]
    private static partial int virDomainResume(SafeDomainHandle domain);

    internal static int FreeDomain(IntPtr domain) => virDomainFree(domain);

    /// <summary>Looks a domain up; null when libvirt says there is no such domain.</summary>
    internal static SafeDomainHandle? LookupDomain(SafeConnectionHandle c, string nameOrUuid)
    {
        bool byUuid = Guid.TryParse(nameOrUuid, out _);
        IntPtr p = byUuid ? virDomainLookupByUUIDString(c, nameOrUuid) : virDomainLookupByName(c, nameOrUuid);
        if (p != IntPtr.Zero) return new SafeDomainHandle(p, c);
        var error = LibvirtException.FromLastError(byUuid ? "virDomainLookupByUUIDString" : "virDomainLookupByName");
        return error.Code == LibvirtErrorCode.NoDomain ? null : throw error;
    }

    internal static SafeDomainHandle DefineDomain(SafeConnectionHandle c, string xml, bool validate) =>
        new(Check(virDomainDefineXMLFlags(c, xml, validate ? 1u : 0u), "virDomainDefineXMLFlags"), c);

    internal static List<SafeDomainHandle> ListAllDomains(SafeConnectionHandle c)
    {
        int count = Check(virConnectListAllDomains(c, out IntPtr array, 0), "virConnectListAllDomains");
        var domains = new List<SafeDomainHandle>(count);
        try
        {
            for (int i = 0; i < count; i++)
                domains.Add(new SafeDomainHandle(Marshal.ReadIntPtr(array, i * IntPtr.Size), c));
        }
        finally
        {
            Free(array);   // the array is ours to free; each element is freed by its handle
        }
        return domains;
    }

    internal static string GetName(SafeDomainHandle d) => BorrowedString(Check(virDomainGetName(d), "virDomainGetName"))!;

    internal static Guid GetUuid(SafeDomainHandle d)
    {
        byte* buffer = stackalloc byte[37];   // VIR_UUID_STRING_BUFLEN
        Check(virDomainGetUUIDString(d, buffer), "virDomainGetUUIDString");
        return Guid.Parse(Marshal.PtrToStringUTF8((IntPtr)buffer)!);
    }

    internal static string GetXml(SafeDomainHandle d, XmlFlags flags) => CheckString(virDomainGetXMLDesc(d, (uint)flags), "virDomainGetXMLDesc");

    internal static (int State, int Reason) GetState(SafeDomainHandle d)
    {
        Check(virDomainGetState(d, out int state, out int reason, 0), "virDomainGetState");
        return (state, reason);
    }

    internal static VirDomainInfo GetInfo(SafeDomainHandle d)
    {
        Check(virDomainGetInfo(d, out VirDomainInfo info), "virDomainGetInfo");
        return info;
    }

    internal static VirDomainBlockInfo GetBlockInfo(SafeDomainHandle d, string disk)
    {
        Check(virDomainGetBlockInfo(d, disk, out VirDomainBlockInfo info, 0), "virDomainGetBlockInfo");
        return info;
    }

    internal static bool IsPersistent(SafeDomainHandle d) => Check(virDomainIsPersistent(d), "virDomainIsPersistent") == 1;

    internal static bool GetAutostart(SafeDomainHandle d)
    {
        Check(virDomainGetAutostart(d, out int autostart), "virDomainGetAutostart");
        return autostart != 0;
    }

    internal static void SetAutostart(SafeDomainHandle d, bool autostart) => Check(virDomainSetAutostart(d, autostart ? 1 : 0), "virDomainSetAutostart");

    internal static void Create(SafeDomainHandle d) => Check(virDomainCreate(d), "virDomainCreate");

    internal static void Destroy(SafeDomainHandle d) => Check(virDomainDestroy(d), "virDomainDestroy");

    internal static void Undefine(SafeDomainHandle d, uint flags) => Check(virDomainUndefineFlags(d, flags), "virDomainUndefineFlags");

    internal static void Suspend(SafeDomainHandle d) => Check(virDomainSuspend(d), "virDomainSuspend");

    internal static void Resume(SafeDomainHandle d) => Check(virDomainResume(d), "virDomainResume");
}
