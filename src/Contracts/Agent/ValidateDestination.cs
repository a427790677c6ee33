namespace Drover.Contracts.Agent;

/// <summary>To the destination host: prove shared storage by reading the source's probes, and check memory, vCPUs, CPU, name/UUID conflicts and versions.</summary>
public sealed record ValidateDestination : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The domain's UUID.</summary>
    public required Guid DomainUuid { get; init; }

    /// <summary>The domain's migratable XML (its CPU definition is compared with the host's).</summary>
    public required string MigratableXml { get; init; }

    /// <summary>Memory the domain needs, in KiB.</summary>
    public required long MemoryKiB { get; init; }

    /// <summary>The domain's vCPUs.</summary>
    public required int VCpus { get; init; }

    /// <summary>The probes the source wrote; each must be readable here with the same token.</summary>
    public required IReadOnlyList<DiskProbe> Probes { get; init; }

    /// <summary>The source's libvirt version; the destination must not be older.</summary>
    public required long SourceLibvirtVersion { get; init; }

    /// <summary>The source's hypervisor version; the destination must not be older.</summary>
    public required long SourceHypervisorVersion { get; init; }
}
