using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

internal static unsafe partial class Interop
{
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int virDomainMigrateToURI3(SafeDomainHandle domain, string destinationUri, IntPtr parameters, uint count, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainGetJobStats(SafeDomainHandle domain, out int type, out IntPtr parameters, out int count, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainAbortJob(SafeDomainHandle domain);

    [LibraryImport(Lib)]
    private static partial int virDomainMigrateStartPostCopy(SafeDomainHandle domain, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainMigrateSetMaxDowntime(SafeDomainHandle domain, ulong downtimeMs, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainMigrateSetMaxSpeed(SafeDomainHandle domain, ulong bandwidthMiBps, uint flags);

    /// <summary>Blocks for the whole migration: call it on a thread of its own.</summary>
    internal static void MigrateToUri3(SafeDomainHandle d, string destinationUri, TypedParams parameters, uint flags) =>
        Check(virDomainMigrateToURI3(d, destinationUri, parameters.Array, (uint)parameters.Count, flags), "virDomainMigrateToURI3");

    internal static (JobType Type, IReadOnlyDictionary<string, object> Values) GetJobStats(SafeDomainHandle d, JobStatsFlags flags)
    {
        Check(virDomainGetJobStats(d, out int type, out IntPtr array, out int count, (uint)flags), "virDomainGetJobStats");
        try { return ((JobType)type, ReadTypedParams(array, count)); }
        finally { FreeTypedParams(array, count); }
    }

    internal static void AbortJob(SafeDomainHandle d) => Check(virDomainAbortJob(d), "virDomainAbortJob");

    internal static void StartPostCopy(SafeDomainHandle d) => Check(virDomainMigrateStartPostCopy(d, 0), "virDomainMigrateStartPostCopy");

    internal static void SetMaxDowntime(SafeDomainHandle d, ulong ms) => Check(virDomainMigrateSetMaxDowntime(d, ms, 0), "virDomainMigrateSetMaxDowntime");

    internal static void SetMaxSpeed(SafeDomainHandle d, ulong mibps) => Check(virDomainMigrateSetMaxSpeed(d, mibps, 0), "virDomainMigrateSetMaxSpeed");
}
