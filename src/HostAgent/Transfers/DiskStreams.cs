using System.Security.Cryptography;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Steps;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Transfers;

/// <summary>
/// The images of an offline migration with storage copy, streamed before its definition moves: each storage volume is
/// downloaded from this host's libvirtd and uploaded into the empty volume the destination made for it
/// (<see cref="DefineDomain.StreamDisks"/>) over a connection of the agent's own to the destination's libvirtd; holes travel
/// as holes. The SHA-256 of each file is taken as it passes (holes read as zeros); the destination checks its copy against it
/// at cut-over (<see cref="CreatedDisks.Verify"/>). Progress is reported as a transfer's; an abort stops both streams.
/// </summary>
internal sealed partial class DiskStreams(AgentHost host, TransferMemory m, TimeSpan progressInterval, Func<object, Task> publish, TimeProvider clock, ILogger logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private long _sent;

    /// <summary>Streams every image; returns them with their digests and the bytes streamed (holes included).</summary>
    public async Task<(List<DiskImage> Images, long Bytes)> Send(IHypervisorConnection source)
    {
        long total = 0;
        foreach (var image in m.StreamDisks)
            total += source.VolumeFileBytes(image.Path) ?? throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                $"Disk {image.Path} is in no storage pool on {host.Name}: an offline copy streams images as storage volumes");
        LogStreaming(m.StreamDisks.Count, total, m.DomainName, host.Name, m.DestinationHost);
        using var abort = new CancellationTokenSource();
        long started = clock.GetTimestamp();
        var copying = Task.Factory.StartNew(
            () => host.Hypervisor.WithPeer(m.DestinationMigrationUri, destination => m.StreamDisks.Select(image => image with
            {
                Sha256 = Stream(source, destination, image.Path, abort.Token),
            }).ToList()),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var nextProgress = clock.GetUtcNow() + progressInterval;   // as a memory transfer's: the first after one interval
        while (!copying.IsCompleted)
        {
            await Task.WhenAny(copying, Task.Delay(Poll, clock));
            if (host.Transfers.IsAbortRequested(m.MigrationId)) abort.Cancel();
            if (clock.GetUtcNow() >= nextProgress && !copying.IsCompleted)
            {
                await Report(Progress(total, clock.GetElapsedTime(started)));
                nextProgress = clock.GetUtcNow() + progressInterval;
            }
        }
        try
        {
            var images = await copying;
            await Report(Progress(total, clock.GetElapsedTime(started)));
            return (images, Interlocked.Read(ref _sent));
        }
        catch (OperationCanceledException)
        {
            host.Transfers.TakeAbortRequested(m.MigrationId);
            throw new StepRefusedException(AgentFailureCode.Aborted, $"Migration of '{m.DomainName}' aborted while its disks were streamed; the source keeps them");
        }
    }

    private string Stream(IHypervisorConnection source, IHypervisorConnection destination, string path, CancellationToken cancellationToken)
    {
        var digest = new Digest(this);
        source.SendVolume(path, destination, digest, cancellationToken);
        return digest.Hex;
    }

    private MemoryTransferProgressed Progress(long total, TimeSpan elapsed)
    {
        long sent = Interlocked.Read(ref _sent);
        return new MemoryTransferProgressed
        {
            MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name,
            DataProcessedBytes = sent, DataRemainingBytes = Math.Max(0, total - sent), DataTotalBytes = total,
            DirtyRateBytesPerSecond = 0, Iteration = 0,
            BandwidthBytesPerSecond = elapsed > TimeSpan.Zero ? (long)(sent / elapsed.TotalSeconds) : 0,
            ElapsedMs = (long)elapsed.TotalMilliseconds, At = clock.GetUtcNow(),
        };
    }

    /// <summary>Progress is news: one that cannot be published does not stop the streams.</summary>
    private async Task Report(MemoryTransferProgressed progress)
    {
        try { await publish(progress); }
        catch (Exception e) { LogReportLost(e.Message); }
    }

    /// <summary>The SHA-256 of a file's content as its stream passes, and the bytes passed.</summary>
    private sealed class Digest(DiskStreams owner) : IVolumeStreamObserver
    {
        private static readonly byte[] Zeros = new byte[1 << 20];
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string Hex => Convert.ToHexStringLower(_sha.GetHashAndReset());

        public void Data(ReadOnlySpan<byte> data)
        {
            _sha.AppendData(data);
            Interlocked.Add(ref owner._sent, data.Length);
        }

        public void Hole(long length)
        {
            for (long left = length; left > 0;)
            {
                int n = (int)Math.Min(left, Zeros.Length);
                _sha.AppendData(Zeros, 0, n);
                left -= n;
            }
            Interlocked.Add(ref owner._sent, length);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Streaming {Count} disk image(s), {Bytes} bytes, of {Domain} from {Host} to {Destination}")]
    private partial void LogStreaming(int count, long bytes, string domain, string host, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk stream progress not published ({Reason}); the streams go on")]
    private partial void LogReportLost(string reason);
}
