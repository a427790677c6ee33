using Drover.HostAgent.Hypervisors;

namespace Drover.HostAgent.Libvirt;

/// <summary>One domain on a connection. Dispose it: an open domain keeps its connection open.</summary>
public sealed class LibvirtDomain : IHypervisorDomain
{
    private readonly SafeDomainHandle _handle;

    internal LibvirtDomain(SafeDomainHandle handle)
    {
        _handle = handle;
        Name = Interop.GetName(handle);
        Uuid = Interop.GetUuid(handle);
    }

    public string Name { get; }

    public Guid Uuid { get; }

    public DomainRunState State => (DomainRunState)Interop.GetState(_handle).State;

    public bool IsPersistent => Interop.IsPersistent(_handle);

    /// <summary>Whether libvirt starts the domain when its host boots (persistent domains only).</summary>
    public bool Autostart
    {
        get => Interop.GetAutostart(_handle);
        set => Interop.SetAutostart(_handle, value);
    }

    public (long MemoryKiB, int VCpus) Size
    {
        get
        {
            var info = Interop.GetInfo(_handle);
            return ((long)info.MaxMemKiB, info.VCpus);
        }
    }

    /// <summary>The guest-visible size in bytes of the disk whose source is <paramref name="path"/> (virDomainGetBlockInfo).</summary>
    public long DiskCapacity(string path) => (long)Interop.GetBlockInfo(_handle, path).Capacity;

    /// <summary>The domain's XML; <paramref name="migratable"/> gives the form meant for another host (VIR_DOMAIN_XML_MIGRATABLE).</summary>
    public string GetXml(bool migratable = false) => Interop.GetXml(_handle, migratable ? XmlFlags.Migratable : XmlFlags.None);

    /// <summary>The persistent definition, secrets included, as it would be defined again (VIR_DOMAIN_XML_SECURE | INACTIVE).</summary>
    public string GetDefinitionXml() => Interop.GetXml(_handle, XmlFlags.Secure | XmlFlags.Inactive);


    public void Start() => Interop.Create(_handle);

    public void Destroy() => Interop.Destroy(_handle);

    /// <summary>Removes the persistent definition; a running domain keeps running, transient.</summary>
    public void Undefine() => Interop.Undefine(_handle, 0);

    public void Suspend() => Interop.Suspend(_handle);

    public void Resume() => Interop.Resume(_handle);

    /// <summary>virDomainMigrateToURI3. Blocks until the migration ends: call it from a dedicated thread.</summary>
    public void Migrate(MigrationRequest request)
    {
        using var parameters = new Interop.TypedParams();
        if (request.BandwidthMiBps is { } bandwidth) parameters.Add("bandwidth", bandwidth);
        if (request.DestinationXml is { } xml) parameters.Add("destination_xml", xml);
        Interop.MigrateToUri3(_handle, request.DestinationUri, parameters, (uint)request.Flags);
    }

    /// <summary>As <see cref="GetJobStats"/>, or null when libvirt has none to give (no job, or the domain just left: a
    /// transient source after its migration).</summary>
    public JobStats? FindJobStats(bool completed = false)
    {
        try { return GetJobStats(completed); }
        catch (LibvirtException) { return null; }
    }

    /// <summary>The running job's statistics, or with <paramref name="completed"/> those of the last completed job.</summary>
    public JobStats GetJobStats(bool completed = false)
    {
        var (type, values) = Interop.GetJobStats(_handle, completed ? JobStatsFlags.Completed : JobStatsFlags.None);
        return JobStats.From(type, values);
    }

    public void AbortJob() => Interop.AbortJob(_handle);

    public void StartPostCopy() => Interop.StartPostCopy(_handle);

    public void SetMaxDowntime(TimeSpan downtime) => Interop.SetMaxDowntime(_handle, (ulong)downtime.TotalMilliseconds);

    public void SetMaxSpeed(ulong mibps) => Interop.SetMaxSpeed(_handle, mibps);

    public void StartDirtyRateCalc(int seconds) => Interop.StartDirtyRateCalc(_handle, seconds);

    public DirtyRateReading ReadDirtyRate() => DirtyRateReading.From(Interop.GetStats(_handle, Interop.StatsDirtyRate));

    public void Dispose() => _handle.Dispose();
}
