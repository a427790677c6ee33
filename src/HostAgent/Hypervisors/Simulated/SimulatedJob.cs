using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Hypervisors.Simulated;

/// <summary>One simulated migration job: it lasts the model's time for its memory and bandwidth, unless aborted, switched to
/// post-copy (the rest follows the VM at once) or drawn to fail half-way.</summary>
internal sealed class SimulatedJob(DateTimeOffset started, long totalBytes, long bytesPerSecond, TimeSpan duration, bool fails)
{
    private readonly ManualResetEventSlim _ended = new();

    public bool Aborted { get; private set; }

    public bool Fails => fails && !Aborted;

    public void Abort()
    {
        Aborted = true;
        _ended.Set();
    }

    public void SwitchToPostCopy() => _ended.Set();

    /// <summary>Blocks the migrating thread for the job's time (half of it when it is to fail), or until it is ended early.</summary>
    public void Run() => _ended.Wait(fails ? duration / 2 : duration);

    public JobStats Stats(JobType type, DateTimeOffset now, long downtimeMs)
    {
        long elapsedMs = (long)(now - started).TotalMilliseconds;
        long processed = type == JobType.Completed ? totalBytes : Math.Min(totalBytes, elapsedMs * bytesPerSecond / 1000);
        return new JobStats
        {
            Type = type,
            ElapsedMs = elapsedMs,
            DataTotalBytes = totalBytes,
            DataProcessedBytes = processed,
            DataRemainingBytes = totalBytes - processed,
            MemoryBytesPerSecond = bytesPerSecond,
            PageSizeBytes = 4096,
            Iteration = 1,
            DowntimeMs = type == JobType.Completed ? downtimeMs : 0,
        };
    }
}
