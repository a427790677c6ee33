namespace Drover.Contracts.Agent;

/// <summary>What a destination checks before it takes a domain: the source's storage probes visible here (shared storage
/// proven), enough free memory and CPUs, a CPU that can run the domain's, no other domain with its name or UUID, and
/// libvirt and QEMU no older than the source's.</summary>
public sealed record DestinationRequirements
{
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

    /// <summary>What a destination must offer for the domain the source validated.</summary>
    public static DestinationRequirements Of(SourceValidated s) => new()
    {
        MemoryKiB = s.MemoryKiB, VCpus = s.VCpus, Probes = s.Probes, SourceLibvirtVersion = s.LibvirtVersion, SourceHypervisorVersion = s.HypervisorVersion,
    };
}
