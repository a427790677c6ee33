namespace Drover.Contracts.Agent;

/// <summary>The source host found the domain fit to leave.</summary>
public sealed record SourceValidated : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The source host.</summary>
    public required string Host { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The domain's UUID.</summary>
    public required Guid DomainUuid { get; init; }

    /// <summary>Whether the domain was running (or paused) when validated.</summary>
    public required bool WasActive { get; init; }

    /// <summary>Whether the domain was running (not paused) when validated: a VM its user paused stays paused.</summary>
    public required bool WasRunning { get; init; }

    /// <summary>Whether the source starts the domain when it boots; the destination's definition gets the same setting
    /// when it is kept (Persistent), and the source's kept definition loses it after the move.</summary>
    public bool Autostart { get; init; }

    /// <summary>The domain's migratable XML, to define on the destination.</summary>
    public required string MigratableXml { get; init; }

    /// <summary>Memory the domain needs, in KiB.</summary>
    public required long MemoryKiB { get; init; }

    /// <summary>The domain's vCPUs.</summary>
    public required int VCpus { get; init; }

    /// <summary>One probe per disk that must be shared; the destination checks them.</summary>
    public required IReadOnlyList<DiskProbe> Probes { get; init; }

    /// <summary>Disks that are not on shared storage (copied, or refused, depending on the request).</summary>
    public required IReadOnlyList<string> LocalDisks { get; init; }

    /// <summary>With storage copy: the images the destination creates for the copy (every writable file disk).</summary>
    public IReadOnlyList<DiskImage> CopiedDisks { get; init; } = [];

    /// <summary>The source's libvirt version (major * 1,000,000 + minor * 1,000 + release).</summary>
    public required long LibvirtVersion { get; init; }

    /// <summary>The source's hypervisor (QEMU) version, encoded as <see cref="LibvirtVersion"/>.</summary>
    public required long HypervisorVersion { get; init; }
}
