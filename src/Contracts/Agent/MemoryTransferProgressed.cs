namespace Drover.Contracts.Agent;

/// <summary>Progress of a running memory transfer, about once a second.</summary>
public sealed record MemoryTransferProgressed : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The source host.</summary>
    public required string Host { get; init; }

    /// <summary>Bytes sent so far (memory and, when copied, disks).</summary>
    public required long DataProcessedBytes { get; init; }

    /// <summary>Bytes still to send in this iteration.</summary>
    public required long DataRemainingBytes { get; init; }

    /// <summary>Total bytes the hypervisor expects to send.</summary>
    public required long DataTotalBytes { get; init; }

    /// <summary>How fast the guest dirties memory, in bytes per second.</summary>
    public required long DirtyRateBytesPerSecond { get; init; }

    /// <summary>Transfer rate, in bytes per second.</summary>
    public required long BandwidthBytesPerSecond { get; init; }

    /// <summary>The pre-copy iteration (pass over memory).</summary>
    public required int Iteration { get; init; }

    /// <summary>Time since the transfer started, in milliseconds.</summary>
    public required long ElapsedMs { get; init; }

    /// <summary>When the agent read these figures.</summary>
    public required DateTimeOffset At { get; init; }
}
