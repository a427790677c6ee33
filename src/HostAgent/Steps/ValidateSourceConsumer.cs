using System.Security.Cryptography;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Checks the domain can leave with the asked kind, classifies its disks and writes a probe beside each disk that must be shared.</summary>
public sealed class ValidateSourceConsumer(StepRunner runner) : IConsumer<ValidateSource>
{
    public Task Consume(ConsumeContext<ValidateSource> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.Domain))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"No domain '{m.Domain}' on {host.Name}");
            var state = domain.State;
            RequireStateFits(m.Kind, state, domain.Name);
            var xml = DomainXml.Parse(domain.GetXml());
            if (xml.HostDevices.Count > 0)
                throw new StepRefusedException(AgentFailureCode.UnmigratableDevice,
                    $"Domain '{domain.Name}' has host devices that cannot migrate: {string.Join(", ", xml.HostDevices)}");

            var probes = m.DisksMustBeShared ? ProbeSharedLayers(m, xml, connection) : [];
            var copied = m.CopyStorage ? CopiedDisks(xml, domain, m.Kind == MigrationKind.Offline ? connection : null, host.Name) : [];
            var (memoryKiB, vcpus) = domain.Size;
            return new SourceValidated
            {
                MigrationId = m.MigrationId,
                Ticket = m.Ticket,
                Host = host.Name,
                DomainName = domain.Name,
                DomainUuid = domain.Uuid,
                WasActive = state.IsActive(),
                WasRunning = state is DomainRunState.Running or DomainRunState.Blocked,
                Autostart = domain.IsPersistent && domain.Autostart,
                MigratableXml = domain.GetXml(migratable: true),
                MemoryKiB = memoryKiB,
                VCpus = vcpus,
                Probes = probes,
                LocalDisks = m.DisksMustBeShared ? [] : [.. xml.FileDisks, .. xml.BlockDisks],
                CopiedDisks = copied,
                LibvirtVersion = connection.LibvirtVersion,
                HypervisorVersion = connection.HypervisorVersion,
            };
        });
    }

    private static void RequireStateFits(MigrationKind kind, DomainRunState state, string name)
    {
        if (kind == MigrationKind.Offline && state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{name}' is {state.ToWireName()}: offline migration needs it shut off (libvirt would leave it defined on both hosts while it runs here)");
        if (kind != MigrationKind.Offline && !state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{name}' is {state.ToWireName()}: {kind} migration needs it running; use the offline kind for a shut-off VM");
    }

    /// <summary>
    /// The images the destination must create for each disk to be copied into. Only file images in a format both QEMU
    /// and the destination can create (qcow2, raw) without a backing file: the copy fills the destination's top image
    /// from the whole chain, but the definition would still name the source's base images, so a chain is refused with
    /// the way out (flatten it, or keep it on shared storage). Block, network and volume disks are refused: the agent
    /// cannot make their counterpart on another host. An offline copy streams each image between the libvirt daemons as a
    /// storage volume: <paramref name="streamedFrom"/>'s pools must hold it.
    /// </summary>
    private static List<DiskImage> CopiedDisks(DomainXml xml, IHypervisorDomain domain, IHypervisorConnection? streamedFrom, string host)
    {
        var images = new List<DiskImage>();
        foreach (var disk in xml.Disks.Where(d => d.Copied))
        {
            var (type, source, format) = (disk.Type, disk.Source, disk.Format);
            if (type != "file")
                throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                    $"Disk {source} is a {type} disk: Drover copies only file images (it cannot create a {type} disk on the destination)");
            if (format is not ("qcow2" or "raw"))
                throw new StepRefusedException(AgentFailureCode.StorageNotShared, $"Disk {source} is {format}: Drover copies qcow2 and raw images only");
            if (disk.HasBackingStore)
                throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                    $"Disk {source} has a backing file: its copy would still name base images the destination lacks; " +
                    "flatten it (qemu-img convert, or virsh blockpull) or keep the chain on shared storage");
            if (streamedFrom is not null && streamedFrom.VolumeFileBytes(source) is null)
                throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                    $"Disk {source} is in no storage pool on {host}: an offline copy streams images between the hosts' libvirt daemons as " +
                    $"storage volumes; define a directory pool over {Path.GetDirectoryName(source)} (virsh pool-define-as NAME dir --target DIR)");
            images.Add(new DiskImage { Path = source, Format = format, CapacityBytes = domain.DiskCapacity(source) });
        }
        return images;
    }

    /// <summary>
    /// Every layer a migration without storage copy needs where the destination sees it, each classified: a file disk and
    /// every file of its backing chain get a probe (the destination must read it); a storage-pool volume is resolved through
    /// its pool and probed like a file when it is one (the destination resolves it too); a network disk (rbd, gluster,
    /// iSCSI, NBD, ...) is shared by its protocol; a block device or any other type cannot be proven shared and is refused
    /// with its reason — never migrated "unsafe". A migration that moves memory also needs every disk the
    /// guest writes opened without the host's cache (<c>none</c>, <c>directsync</c>): what the source cached would be lost at
    /// the switch. Only then does the transfer tell libvirt the storage is safe (VIR_MIGRATE_UNSAFE, which libvirt needs
    /// because it cannot tell that a plain directory is shared).
    /// </summary>
    private static List<DiskProbe> ProbeSharedLayers(ValidateSource m, DomainXml xml, IHypervisorConnection connection)
    {
        var files = new List<string>();
        foreach (var disk in xml.Disks)
        {
            switch (disk.Type)
            {
                case "file":
                    files.Add(disk.Source);
                    files.AddRange(disk.BackingFiles);
                    break;
                case "network":
                    break;
                case "block":
                    throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                        $"Block device {disk.Source} cannot be proven shared; ask for storage copy or use file disks on shared storage");
                case "volume":
                    files.Add(PoolVolumes.File(disk, connection, "the source"));
                    files.AddRange(disk.BackingFiles);
                    break;
                default:
                    throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                        $"Disk {disk.Source} is a {disk.Type} disk: Drover cannot tell whether the destination sees it");
            }
            if (m.Kind != MigrationKind.Offline && disk.Writable && disk.Cache is not ("none" or "directsync"))
                throw new StepRefusedException(AgentFailureCode.UnsafeDiskCache,
                    $"Disk {disk.Source} uses cache mode '{disk.Cache ?? "default (writeback)"}': writes the source host has cached would be lost at the switch; set cache='none' or 'directsync'");
        }
        return files.Distinct(StringComparer.Ordinal).Select((file, i) => WriteProbe(m.MigrationId, file, i)).ToList();
    }

    private static DiskProbe WriteProbe(Guid migrationId, string disk, int index)
    {
        string dir = Path.GetDirectoryName(disk) ?? "/";
        string probe = Path.Combine(dir, $".drover-probe-{migrationId:N}-{index}");
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        try
        {
            File.WriteAllText(probe, token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StepRefusedException(AgentFailureCode.StorageNotShared, $"Cannot write a storage probe beside disk {disk}: {e.Message}");
        }
        return new DiskProbe { DiskPath = disk, ProbePath = probe, Token = token };
    }
}
