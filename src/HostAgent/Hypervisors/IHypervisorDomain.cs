using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Hypervisors;

/// <summary>One domain on a host, as libvirt describes it. Dispose it.</summary>
public interface IHypervisorDomain : IDisposable
{
    string Name { get; }

    Guid Uuid { get; }

    DomainRunState State { get; }

    bool IsPersistent { get; }

    /// <summary>Whether the domain starts when its host boots (persistent domains only).</summary>
    bool Autostart { get; set; }

    (long MemoryKiB, int VCpus) Size { get; }

    /// <summary>The guest-visible size in bytes of the disk whose source is <paramref name="path"/>.</summary>
    long DiskCapacity(string path);

    /// <summary>The domain's XML; <paramref name="migratable"/> gives the form meant for another host.</summary>
    string GetXml(bool migratable = false);

    /// <summary>The persistent definition, as it would be defined again.</summary>
    string GetDefinitionXml();

    /// <summary>Removes the persistent definition; a running domain keeps running, transient.</summary>
    void Undefine();

    void Suspend();

    void Resume();

    /// <summary>Migrates the domain. Blocks until the migration ends: call it from a dedicated thread.</summary>
    void Migrate(MigrationRequest request);

    /// <summary>The running job's statistics, or with <paramref name="completed"/> those of the last completed job; null when
    /// there are none (no job, or the domain just left).</summary>
    JobStats? FindJobStats(bool completed = false);

    void AbortJob();

    void StartPostCopy();

    void SetMaxDowntime(TimeSpan downtime);

    /// <summary>Starts libvirt's dirty-rate calculation over <paramref name="seconds"/> (page sampling).</summary>
    void StartDirtyRateCalc(int seconds);

    /// <summary>The last dirty-rate calculation.</summary>
    DirtyRateReading ReadDirtyRate();

    /// <summary>The running migration's bandwidth limit, in MiB/s.</summary>
    void SetMaxSpeed(ulong mibps);
}
