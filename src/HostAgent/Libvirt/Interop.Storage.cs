using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

internal static unsafe partial class Interop
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct VirStorageVolInfo
    {
        public int Type;           // virStorageVolType: 0 file, 1 block, 2 dir, 3 network, ...
        public ulong Capacity;
        public ulong Allocation;
    }

    private const int StorageVolFile = 0;

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr virStoragePoolLookupByName(SafeConnectionHandle connection, string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr virStorageVolLookupByName(IntPtr pool, string name);

    [LibraryImport(Lib)]
    private static partial IntPtr virStorageVolGetPath(IntPtr volume);

    [LibraryImport(Lib)]
    private static partial int virStorageVolGetInfo(IntPtr volume, out VirStorageVolInfo info);

    [LibraryImport(Lib)]
    private static partial int virStorageVolFree(IntPtr volume);

    [LibraryImport(Lib)]
    private static partial int virStoragePoolFree(IntPtr pool);

    /// <summary>Where volume <paramref name="volume"/> of pool <paramref name="pool"/> lives on this host, and whether it is a file.</summary>
    internal static (string Path, bool IsFile) ResolveVolume(SafeConnectionHandle c, string pool, string volume)
    {
        IntPtr p = Check(virStoragePoolLookupByName(c, pool), "virStoragePoolLookupByName");
        try
        {
            IntPtr v = Check(virStorageVolLookupByName(p, volume), "virStorageVolLookupByName");
            try
            {
                Check(virStorageVolGetInfo(v, out var info), "virStorageVolGetInfo");
                return (CheckString(virStorageVolGetPath(v), "virStorageVolGetPath"), info.Type == StorageVolFile);
            }
            finally
            {
                virStorageVolFree(v);
            }
        }
        finally
        {
            virStoragePoolFree(p);
        }
    }
}
