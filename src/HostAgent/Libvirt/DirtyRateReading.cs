namespace Drover.HostAgent.Libvirt;

/// <summary>libvirt's last dirty-rate calculation of a domain (<c>dirtyrate.*</c> domain statistics).</summary>
/// <param name="Status">0 never started, 1 measuring, 2 measured.</param>
/// <param name="MiBPerSecond">The rate, once measured.</param>
/// <param name="StartedAt">When the calculation began (seconds since the epoch, as libvirt reports it).</param>
public sealed record DirtyRateReading(int Status, long? MiBPerSecond, long StartedAt)
{
    public const int Measured = 2;

    public static DirtyRateReading From(IReadOnlyDictionary<string, object> stats) => new(
        stats.TryGetValue("dirtyrate.calc_status", out var status) ? Convert.ToInt32(status, System.Globalization.CultureInfo.InvariantCulture) : 0,
        stats.TryGetValue("dirtyrate.megabytes_per_second", out var rate) ? Convert.ToInt64(rate, System.Globalization.CultureInfo.InvariantCulture) : null,
        stats.TryGetValue("dirtyrate.calc_start_time", out var start) ? Convert.ToInt64(start, System.Globalization.CultureInfo.InvariantCulture) : 0);
}
