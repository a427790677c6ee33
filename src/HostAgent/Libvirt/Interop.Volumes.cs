using System.Runtime.InteropServices;
using System.Xml.Linq;
using Drover.HostAgent.Hypervisors;

namespace Drover.HostAgent.Libvirt;

/// <summary>Storage volumes by path, in the directory pools that hold them: looked up, created, deleted and streamed between
/// two libvirt daemons (download on one, upload on the other).</summary>
internal static unsafe partial class Interop
{
    private const uint ListActiveDirectoryPools = 2 | 64;   // VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE | VIR_CONNECT_LIST_STORAGE_POOLS_DIR
    private const uint VolumeInfoPhysical = 1;               // VIR_STORAGE_VOL_GET_PHYSICAL: the file's size, not the guest's
    private const uint SparseStream = 1;                     // VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM (= ..._UPLOAD_SPARSE_STREAM)
    private const uint StopAtHole = 1;                       // VIR_STREAM_RECV_STOP_AT_HOLE
    private const int HoleReached = -3;

    [LibraryImport(Lib)]
    private static partial int virConnectListAllStoragePools(SafeConnectionHandle connection, out IntPtr pools, uint flags);

    [LibraryImport(Lib)]
    private static partial IntPtr virStoragePoolGetXMLDesc(IntPtr pool, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStoragePoolRefresh(IntPtr pool, uint flags);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr virStorageVolLookupByPath(SafeConnectionHandle connection, string path);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr virStorageVolCreateXML(IntPtr pool, string xml, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStorageVolDelete(IntPtr volume, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStorageVolGetInfoFlags(IntPtr volume, out VirStorageVolInfo info, uint flags);

    [LibraryImport(Lib)]
    private static partial IntPtr virStreamNew(SafeConnectionHandle connection, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStorageVolDownload(IntPtr volume, IntPtr stream, ulong offset, ulong length, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStorageVolUpload(IntPtr volume, IntPtr stream, ulong offset, ulong length, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStreamRecvFlags(IntPtr stream, byte* data, nuint length, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStreamRecvHole(IntPtr stream, out long length, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStreamSend(IntPtr stream, byte* data, nuint length);

    [LibraryImport(Lib)]
    private static partial int virStreamSendHole(IntPtr stream, long length, uint flags);

    [LibraryImport(Lib)]
    private static partial int virStreamFinish(IntPtr stream);

    [LibraryImport(Lib)]
    private static partial int virStreamAbort(IntPtr stream);

    [LibraryImport(Lib)]
    private static partial int virStreamFree(IntPtr stream);

    /// <summary>The size of the file of the volume at <paramref name="path"/>; null when no active pool holds it.</summary>
    internal static long? VolumeFileBytes(SafeConnectionHandle c, string path)
    {
        IntPtr v = FindVolume(c, path);
        if (v == IntPtr.Zero) return null;
        try
        {
            Check(virStorageVolGetInfoFlags(v, out var info, VolumeInfoPhysical), "virStorageVolGetInfoFlags");
            return (long)info.Allocation;
        }
        finally
        {
            virStorageVolFree(v);
        }
    }

    /// <summary>Creates the file at <paramref name="path"/> as a volume of the active directory pool whose target is its
    /// directory, allocating nothing; false when no such pool exists.</summary>
    internal static bool CreateVolume(SafeConnectionHandle c, string path, string format, long capacityBytes)
    {
        string xml = new XElement("volume",
            new XElement("name", Path.GetFileName(path)),
            new XElement("capacity", new XAttribute("unit", "bytes"), capacityBytes),
            new XElement("allocation", new XAttribute("unit", "bytes"), 0),
            new XElement("target", new XElement("format", new XAttribute("type", format)))).ToString();
        return WithDirectoryPool(c, path, pool => virStorageVolFree(Check(virStorageVolCreateXML(pool, xml, 0), "virStorageVolCreateXML")));
    }

    /// <summary>Deletes the volume at <paramref name="path"/> through its pool; false when no active pool holds it.</summary>
    internal static bool DeleteVolume(SafeConnectionHandle c, string path)
    {
        IntPtr v = FindVolume(c, path);
        if (v == IntPtr.Zero) return false;
        try
        {
            Check(virStorageVolDelete(v, 0), "virStorageVolDelete");
            return true;
        }
        finally
        {
            virStorageVolFree(v);
        }
    }

    /// <summary>Streams the volume at <paramref name="path"/> of <paramref name="from"/> into the volume at the same path of
    /// <paramref name="to"/>, from its first byte: holes travel as holes. Every piece of data and every hole is handed to
    /// <paramref name="observer"/> in order; a cancelled copy aborts both streams.</summary>
    internal static void SendVolume(SafeConnectionHandle from, SafeConnectionHandle to, string path, IVolumeStreamObserver observer, CancellationToken cancellationToken)
    {
        IntPtr source = RequireVolume(from, path), target = IntPtr.Zero, down = IntPtr.Zero, up = IntPtr.Zero;
        bool finished = false;
        try
        {
            target = RequireVolume(to, path);
            down = Check(virStreamNew(from, 0), "virStreamNew");
            up = Check(virStreamNew(to, 0), "virStreamNew");
            Check(virStorageVolDownload(source, down, 0, 0, SparseStream), "virStorageVolDownload");
            Check(virStorageVolUpload(target, up, 0, 0, SparseStream), "virStorageVolUpload");
            var buffer = new byte[1 << 20];
            fixed (byte* data = buffer)
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int received = virStreamRecvFlags(down, data, (nuint)buffer.Length, StopAtHole);
                    if (received == 0) break;
                    if (received == HoleReached)
                    {
                        Check(virStreamRecvHole(down, out long hole, 0), "virStreamRecvHole");
                        Check(virStreamSendHole(up, hole, 0), "virStreamSendHole");
                        observer.Hole(hole);
                        continue;
                    }
                    Check(received, "virStreamRecvFlags");
                    for (int sent = 0; sent < received;)
                        sent += Check(virStreamSend(up, data + sent, (nuint)(received - sent)), "virStreamSend");
                    observer.Data(buffer.AsSpan(0, received));
                }
            }
            Check(virStreamFinish(down), "virStreamFinish");
            Check(virStreamFinish(up), "virStreamFinish");   // returns once the destination's daemon has written it all
            finished = true;
        }
        finally
        {
            if (!finished)
            {
                if (down != IntPtr.Zero) virStreamAbort(down);
                if (up != IntPtr.Zero) virStreamAbort(up);
            }
            if (down != IntPtr.Zero) virStreamFree(down);
            if (up != IntPtr.Zero) virStreamFree(up);
            if (target != IntPtr.Zero) virStorageVolFree(target);
            virStorageVolFree(source);
        }
    }

    private static IntPtr RequireVolume(SafeConnectionHandle c, string path) =>
        FindVolume(c, path) is var v && v != IntPtr.Zero ? v
            : throw new LibvirtException("virStorageVolLookupByPath", LibvirtErrorCode.NoStorageVolume, 0, $"No storage pool holds {path}");

    /// <summary>The volume at <paramref name="path"/>, or zero. A file made since its pool last looked is found after the
    /// directory pool that holds it is refreshed.</summary>
    private static IntPtr FindVolume(SafeConnectionHandle c, string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            IntPtr v = virStorageVolLookupByPath(c, path);
            if (v != IntPtr.Zero) return v;
            var error = LibvirtException.FromLastError("virStorageVolLookupByPath");
            if (error.Code != LibvirtErrorCode.NoStorageVolume) throw error;
            if (attempt > 0 || !WithDirectoryPool(c, path, pool => Check(virStoragePoolRefresh(pool, 0), "virStoragePoolRefresh"))) return IntPtr.Zero;
        }
    }

    /// <summary>Runs <paramref name="use"/> on the active directory pool whose target is <paramref name="path"/>'s directory;
    /// false when there is none.</summary>
    private static bool WithDirectoryPool(SafeConnectionHandle c, string path, Action<IntPtr> use)
    {
        string directory = Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(path) ?? "/");
        int count = Check(virConnectListAllStoragePools(c, out IntPtr array, ListActiveDirectoryPools), "virConnectListAllStoragePools");
        var pools = new IntPtr[count];
        for (int i = 0; i < count; i++) pools[i] = Marshal.ReadIntPtr(array, i * IntPtr.Size);
        Free(array);
        try
        {
            foreach (IntPtr pool in pools)
            {
                string xml = CheckString(virStoragePoolGetXMLDesc(pool, 0), "virStoragePoolGetXMLDesc");
                string? target = XDocument.Parse(xml).Root?.Element("target")?.Element("path")?.Value;
                if (target is not null && Path.TrimEndingDirectorySeparator(target) == directory)
                {
                    use(pool);
                    return true;
                }
            }
            return false;
        }
        finally
        {
            foreach (IntPtr pool in pools) virStoragePoolFree(pool);
        }
    }
}
