using System.Runtime.InteropServices;
using Drover.HostAgent.Hypervisors;

namespace Drover.HostAgent.Libvirt;

/// <summary>A connection to one libvirtd. Thread-safe, as libvirt connections are.</summary>
public sealed class LibvirtConnection : IHypervisorConnection, IDisposable, Interop.IEventSink
{
    private readonly SafeConnectionHandle _handle;
    private GCHandle _self;
    private int[] _callbacks = [];

    private LibvirtConnection(SafeConnectionHandle handle, string uri)
    {
        _handle = handle;
        Uri = uri;
    }

    public string Uri { get; }

    /// <summary>Raised on the event-loop thread for every lifecycle event of every domain.</summary>
    public event Action<DomainLifecycleEvent>? DomainLifecycle;

    /// <summary>Raised on the event-loop thread when a domain job (a migration) completes, with its final statistics.</summary>
    public event Action<string, JobStats>? JobCompleted;

    /// <summary>Opens a connection. With <paramref name="withEvents"/> the event loop is started first and events are delivered.</summary>
    public static LibvirtConnection Open(string uri, bool withEvents = false)
    {
        Interop.Initialize();
        if (withEvents) LibvirtEventLoop.EnsureStarted();
        var connection = new LibvirtConnection(Interop.OpenConnection(uri), uri);
        if (withEvents)
        {
            connection._self = GCHandle.Alloc(connection);
            connection._callbacks = Interop.RegisterEvents(connection._handle, connection._self);
            Interop.SetKeepAlive(connection._handle, 5, 3);
        }
        return connection;
    }

    /// <summary>Whether the connection still reaches libvirtd (a local check, no round trip).</summary>
    public bool IsAlive => Interop.IsAlive(_handle);

    public string Hostname => Interop.GetHostname(_handle);

    /// <summary>libvirt's version: major * 1,000,000 + minor * 1,000 + release.</summary>
    public long LibvirtVersion => (long)Interop.GetLibVersion(_handle);

    /// <summary>The hypervisor's (QEMU's) version, encoded as <see cref="LibvirtVersion"/>.</summary>
    public long HypervisorVersion => (long)Interop.GetHypervisorVersion(_handle);

    public unsafe HostInfo GetHostInfo()
    {
        var info = Interop.GetNodeInfo(_handle);
        string model = new string((sbyte*)info.Model).TrimEnd('\0');
        return new HostInfo(model, (int)info.Cpus, (long)info.MemoryKiB);
    }

    public long FreeMemoryKiB => (long)(Interop.GetFreeMemoryBytes(_handle) / 1024);

    public string Capabilities => Interop.GetCapabilities(_handle);

    public (string Path, bool IsFile) ResolveVolume(string pool, string volume) => Interop.ResolveVolume(_handle, pool, volume);

    public long? VolumeFileBytes(string path) => Interop.VolumeFileBytes(_handle, path);

    public bool CreateVolume(string path, string format, long capacityBytes) => Interop.CreateVolume(_handle, path, format, capacityBytes);

    public bool DeleteVolume(string path) => Interop.DeleteVolume(_handle, path);

    public void SendVolume(string path, IHypervisorConnection destination, IVolumeStreamObserver observer, CancellationToken cancellationToken) =>
        Interop.SendVolume(_handle, destination is LibvirtConnection peer ? peer._handle
            : throw new ArgumentException("a libvirt volume streams only to another libvirt daemon", nameof(destination)), path, observer, cancellationToken);

    /// <summary>virConnectCompareHypervisorCPU: whether this host can run a guest CPU described by <paramref name="cpuXml"/>.</summary>
    public bool CanRunCpu(string cpuXml, string? virtType)
    {
        try { return Interop.CompareHypervisorCpu(_handle, virtType, cpuXml) > 0; }
        catch (LibvirtException e) when (e.Code == LibvirtErrorCode.CpuIncompatible) { return false; }
    }

    /// <summary>Finds a domain by name or UUID; null when there is none.</summary>
    public LibvirtDomain? FindDomain(string nameOrUuid) =>
        Interop.LookupDomain(_handle, nameOrUuid) is { } handle ? new LibvirtDomain(handle) : null;

    public LibvirtDomain GetDomain(string nameOrUuid) =>
        FindDomain(nameOrUuid) ?? throw new LibvirtException("virDomainLookupByName", LibvirtErrorCode.NoDomain, 0, $"Domain not found: '{nameOrUuid}'");

    /// <summary>All domains, active and inactive. Dispose each one.</summary>
    public IReadOnlyList<LibvirtDomain> ListDomains() => Interop.ListAllDomains(_handle).Select(h => new LibvirtDomain(h)).ToList();

    /// <summary>Defines (inactive) a domain from XML, validated against libvirt's schema.</summary>
    public LibvirtDomain Define(string xml) => new(Interop.DefineDomain(_handle, xml, validate: true));

    IHypervisorDomain? IHypervisorConnection.FindDomain(string nameOrUuid) => FindDomain(nameOrUuid);

    IReadOnlyList<IHypervisorDomain> IHypervisorConnection.ListDomains() => ListDomains();

    IHypervisorDomain IHypervisorConnection.Define(string xml) => Define(xml);

    void Interop.IEventSink.OnLifecycle(string domainName, Guid domainUuid, int eventType, int detail) =>
        DomainLifecycle?.Invoke(new DomainLifecycleEvent(domainName, domainUuid, (DomainEventType)eventType, detail));

    void Interop.IEventSink.OnJobCompleted(string domainName, IReadOnlyDictionary<string, object> statistics) =>
        JobCompleted?.Invoke(domainName, JobStats.From(JobType.Completed, statistics));

    public void Dispose()
    {
        foreach (int id in _callbacks) Interop.DeregisterEvent(_handle, id);
        _callbacks = [];
        _handle.Dispose();
        if (_self.IsAllocated) _self.Free();
    }
}
