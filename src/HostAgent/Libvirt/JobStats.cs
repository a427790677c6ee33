namespace Drover.HostAgent.Libvirt;

/// <summary>A domain job's statistics (virDomainGetJobStats), the fields a migration reports.</summary>
public sealed record JobStats
{
    public required JobType Type { get; init; }

    public long ElapsedMs { get; init; }

    public long DataTotalBytes { get; init; }

    public long DataProcessedBytes { get; init; }

    public long DataRemainingBytes { get; init; }

    public long MemoryBytesPerSecond { get; init; }

    public long DirtyRatePagesPerSecond { get; init; }

    public long PageSizeBytes { get; init; }

    public int Iteration { get; init; }

    public long DowntimeMs { get; init; }

    public bool IsActive => Type is JobType.Bounded or JobType.Unbounded;

    internal static JobStats From(JobType type, IReadOnlyDictionary<string, object> v) => new()
    {
        Type = type,
        ElapsedMs = Long(v, "time_elapsed"),
        DataTotalBytes = Long(v, "data_total"),
        DataProcessedBytes = Long(v, "data_processed"),
        DataRemainingBytes = Long(v, "data_remaining"),
        MemoryBytesPerSecond = Long(v, "memory_bps"),
        DirtyRatePagesPerSecond = Long(v, "memory_dirty_rate"),
        PageSizeBytes = Long(v, "memory_page_size") is > 0 and var size ? size : 4096,
        Iteration = (int)Long(v, "memory_iteration"),
        DowntimeMs = Long(v, "downtime"),
    };

    private static long Long(IReadOnlyDictionary<string, object> v, string key) =>
        v.TryGetValue(key, out var value) ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
}
