namespace Drover.Contracts.Agent;

/// <summary>To the source host: run the libvirt migration to the destination and report progress. Redelivery never starts a second migration.</summary>
public sealed record TransferMemory : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The kind: live, non-live (suspend first, arrive paused) or offline (configuration only).</summary>
    public required MigrationKind Kind { get; init; }

    /// <summary>The destination host's name.</summary>
    public required string DestinationHost { get; init; }

    /// <summary>The destination's libvirt URI as the source's libvirtd reaches it (peer to peer), e.g. <c>qemu+tls://kvm-b/system</c>.</summary>
    public required string DestinationMigrationUri { get; init; }

    /// <summary>Whether the coordinator proved the disks visible from the destination (libvirt cannot tell for a plain directory).</summary>
    public required bool StorageVerified { get; init; }

    /// <summary>An offline migration with storage copy: the images to stream to the destination's volumes (created by its
    /// definition step) before the definition moves.</summary>
    public IReadOnlyList<DiskImage> StreamDisks { get; init; } = [];

    /// <summary>Bandwidth, downtime and convergence knobs.</summary>
    public MigrationTuning Tuning { get; init; } = new();
}
