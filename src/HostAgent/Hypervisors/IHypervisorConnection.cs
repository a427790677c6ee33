using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Hypervisors;

/// <summary>What the steps ask of a host's hypervisor, in libvirt's terms and with its errors (<see cref="LibvirtException"/>).</summary>
public interface IHypervisorConnection
{
    /// <summary>libvirt's version: major * 1,000,000 + minor * 1,000 + release.</summary>
    long LibvirtVersion { get; }

    /// <summary>The hypervisor's (QEMU's) version, encoded as <see cref="LibvirtVersion"/>.</summary>
    long HypervisorVersion { get; }

    HostInfo GetHostInfo();

    long FreeMemoryKiB { get; }

    /// <summary>Whether this host can run a guest CPU described by <paramref name="cpuXml"/>.</summary>
    bool CanRunCpu(string cpuXml, string? virtType);

    /// <summary>Where a storage pool's volume lives on this host, and whether it is a file; throws (with libvirt's reason) when
    /// the pool or the volume is not there.</summary>
    (string Path, bool IsFile) ResolveVolume(string pool, string volume);

    /// <summary>The size of the file of the storage volume at <paramref name="path"/>; null when no active storage pool holds
    /// it (a directory pool over its directory learns of a new file when asked).</summary>
    long? VolumeFileBytes(string path);

    /// <summary>Creates the file at <paramref name="path"/> as a volume of the active directory pool over its directory, of
    /// that format and guest-visible size, nothing allocated; false when no such pool exists.</summary>
    bool CreateVolume(string path, string format, long capacityBytes);

    /// <summary>Deletes the storage volume at <paramref name="path"/> through its pool; false when no active pool holds it.</summary>
    bool DeleteVolume(string path);

    /// <summary>Streams the storage volume at <paramref name="path"/> into the volume at the same path on
    /// <paramref name="destination"/> (download here, upload there; holes travel as holes), showing
    /// <paramref name="observer"/> every piece as it passes. The destination's volume must exist and be no longer than the source's.</summary>
    void SendVolume(string path, IHypervisorConnection destination, IVolumeStreamObserver observer, CancellationToken cancellationToken);

    /// <summary>A domain by name or UUID; null when there is none.</summary>
    IHypervisorDomain? FindDomain(string nameOrUuid);

    /// <summary>All domains, active and inactive. Dispose each one.</summary>
    IReadOnlyList<IHypervisorDomain> ListDomains();

    /// <summary>Defines (inactive) a domain from XML.</summary>
    IHypervisorDomain Define(string xml);

    /// <summary>Raised when a domain job (a migration) completes, with its final statistics.</summary>
    event Action<string, JobStats>? JobCompleted;
}
