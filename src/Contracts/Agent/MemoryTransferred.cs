namespace Drover.Contracts.Agent;

/// <summary>The libvirt migration finished: the domain now lives on the destination (running, or paused for a non-live cut-over).</summary>
public sealed record MemoryTransferred : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The source host.</summary>
    public required string Host { get; init; }

    /// <summary>How long the guest was paused at the switch, in milliseconds (0 for offline).</summary>
    public required long DowntimeMs { get; init; }

    /// <summary>Bytes sent.</summary>
    public required long DataTransferredBytes { get; init; }

    /// <summary>Pre-copy iterations.</summary>
    public required int Iterations { get; init; }

    /// <summary>How long the libvirt job took, in milliseconds.</summary>
    public required long DurationMs { get; init; }

    /// <summary>Whether the source still runs the domain (it must not).</summary>
    public required bool SourceStillActive { get; init; }

    /// <summary>The images streamed (an offline copy), each with the SHA-256 of what was sent.</summary>
    public IReadOnlyList<DiskImage> StreamedDisks { get; init; } = [];
}
