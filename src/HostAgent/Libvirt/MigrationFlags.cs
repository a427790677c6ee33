namespace Drover.HostAgent.Libvirt;

/// <summary>libvirt's virDomainMigrateFlags.</summary>
[Flags]
public enum MigrationFlags : uint
{
    None = 0,
    Live = 1,
    PeerToPeer = 2,
    Tunnelled = 4,
    PersistDestination = 8,
    UndefineSource = 16,
    Paused = 32,
    NonSharedDisk = 64,
    NonSharedIncremental = 128,
    ChangeProtection = 256,
    Unsafe = 512,
    Offline = 1024,
    Compressed = 2048,
    AbortOnError = 4096,
    AutoConverge = 8192,
    PostCopy = 32768,
    /// <summary>VIR_MIGRATE_TLS: QEMU's migration stream (memory, and disks when copied) encrypted with the hosts' certificates.</summary>
    Tls = 65536,
}
