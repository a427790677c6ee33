using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

internal static unsafe partial class Interop
{
    /// <summary>virDomainStatsTypes: balloon (memory) and dirty-rate statistics.</summary>
    internal const uint StatsBalloon = 1 << 2, StatsDirtyRate = 1 << 9;

    // struct _virDomainStatsRecord { virDomainPtr dom; virTypedParameterPtr params; int nparams; }
    [StructLayout(LayoutKind.Sequential)]
    private struct VirDomainStatsRecord
    {
        public IntPtr Domain;
        public IntPtr Parameters;
        public int Count;
    }

    /// <summary>Starts libvirt's dirty-rate calculation over <paramref name="seconds"/> (flags 0: page sampling — never the
    /// dirty-bitmap mode, which crashed QEMU in the lab).</summary>
    [LibraryImport(Lib)]
    private static partial int virDomainStartDirtyRateCalc(SafeDomainHandle domain, int seconds, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainListGetStats(IntPtr* domains, uint stats, out IntPtr records, uint flags);

    [LibraryImport(Lib)]
    private static partial void virDomainStatsRecordListFree(IntPtr records);

    internal static void StartDirtyRateCalc(SafeDomainHandle d, int seconds) => Check(virDomainStartDirtyRateCalc(d, seconds, 0), "virDomainStartDirtyRateCalc");

    /// <summary>One domain's statistics of the given types, by name (e.g. <c>dirtyrate.megabytes_per_second</c>).</summary>
    internal static IReadOnlyDictionary<string, object> GetStats(SafeDomainHandle d, uint types)
    {
        bool added = false;
        d.DangerousAddRef(ref added);
        try
        {
            IntPtr* list = stackalloc IntPtr[2];
            list[0] = d.DangerousGetHandle();
            list[1] = IntPtr.Zero;
            int n = virDomainListGetStats(list, types, out IntPtr records, 0);
            Check(n, "virDomainListGetStats");
            try
            {
                if (n == 0) return new Dictionary<string, object>();
                var record = *(VirDomainStatsRecord*)Marshal.ReadIntPtr(records);
                return ReadTypedParams(record.Parameters, record.Count);
            }
            finally
            {
                virDomainStatsRecordListFree(records);
            }
        }
        finally
        {
            if (added) d.DangerousRelease();
        }
    }
}
