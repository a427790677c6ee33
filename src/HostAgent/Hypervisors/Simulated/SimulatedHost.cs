using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Hypervisors.Simulated;

/// <summary>
/// One simulated host: its hypervisor and its connection at once. It keeps its domains in memory, answers in libvirt's
/// terms (the same errors the steps classify) and migrates a domain to another host of its <see cref="SimulatedFleet"/>
/// after the time the model gives. Never moves a real VM.
/// </summary>
public sealed class SimulatedHost : IHypervisor, IHypervisorConnection
{
    private readonly SimulatedFleet _fleet;
    private readonly Dictionary<Guid, SimulatedDomainRecord> _domains = [];   // guarded by the fleet's lock

    internal SimulatedHost(SimulatedFleet fleet, string name)
    {
        _fleet = fleet;
        HostName = name;
        MigrationUri = $"simulated://{name}/system";
    }

    public string HostName { get; }

    public string MigrationUri { get; }

    public IReadOnlyList<string> SharedStorage => [_fleet.StorageDirectory];

    public string Endpoint => $"simulated hypervisor {HostName}";

    public bool IsConnected => !_fleet.Options.UnavailableHosts.Contains(HostName);

    public IHypervisorConnection Connection =>
        IsConnected ? this : throw Error("virConnectOpen", LibvirtErrorCode.SystemError, $"Failed to connect socket: simulated host {HostName} is unavailable");

    public long LibvirtVersion => 9_000_000;

    public long HypervisorVersion => 7_002_000;

    public HostInfo GetHostInfo() => new("simulated", _fleet.Options.HostCpus, TotalMemoryKiB);

    private long TotalMemoryKiB => _fleet.Options.HostMemoryGiB * 1024L * 1024;

    public long FreeMemoryKiB
    {
        get
        {
            lock (_fleet.Gate) return TotalMemoryKiB - _domains.Values.Where(d => d.State.IsActive()).Sum(d => d.MemoryKiB);
        }
    }

    public bool CanRunCpu(string cpuXml, string? virtType) => true;

    public (string Path, bool IsFile) ResolveVolume(string pool, string volume) =>
        throw new InvalidOperationException($"simulated host {HostName} has no storage pools (volume {pool}/{volume})");

    /// <summary>Simulated hosts have no storage pools: an offline migration with storage copy is refused at validation.</summary>
    public long? VolumeFileBytes(string path) => null;

    public bool CreateVolume(string path, string format, long capacityBytes) => false;

    public bool DeleteVolume(string path) => false;

    public void SendVolume(string path, IHypervisorConnection destination, IVolumeStreamObserver observer, CancellationToken cancellationToken) =>
        throw Error("virStorageVolLookupByPath", LibvirtErrorCode.NoStorageVolume, $"simulated host {HostName} has no storage pools");

    public T WithPeer<T>(string uri, Func<IHypervisorConnection, T> use) =>
        use(_fleet.HostAt(uri) ?? throw Error("virConnectOpen", LibvirtErrorCode.SystemError, $"no simulated host at {uri}"));

    public event Action<string, JobStats>? JobCompleted;

    public IHypervisorDomain? FindDomain(string nameOrUuid)
    {
        lock (_fleet.Gate) return Find(nameOrUuid) is { } r ? new SimulatedDomain(this, r.Uuid, r.Name) : null;
    }

    public IReadOnlyList<IHypervisorDomain> ListDomains()
    {
        lock (_fleet.Gate) return _domains.Values.Select(r => (IHypervisorDomain)new SimulatedDomain(this, r.Uuid, r.Name)).ToList();
    }

    /// <summary>As libvirt: a new definition is inactive; one for an existing domain (same name and UUID) replaces its configuration.</summary>
    public IHypervisorDomain Define(string xml)
    {
        var (name, uuid, memoryKiB, vcpus) = SimulatedDomainXml.Describe(xml);
        lock (_fleet.Gate)
        {
            if (Find(name) is { } byName && byName.Uuid != uuid)
                throw Error("virDomainDefineXML", LibvirtErrorCode.OperationFailed, $"domain '{name}' already exists with uuid {byName.Uuid}");
            if (_domains.TryGetValue(uuid, out var byUuid) && byUuid.Name != name)
                throw Error("virDomainDefineXML", LibvirtErrorCode.OperationFailed, $"domain '{byUuid.Name}' is already defined with uuid {uuid}");
            if (byUuid is null) _domains[uuid] = byUuid = new SimulatedDomainRecord { Name = name, Uuid = uuid, MemoryKiB = memoryKiB, VCpus = vcpus, Xml = xml };
            byUuid.Xml = xml;
            byUuid.Persistent = true;
            if (!byUuid.State.IsActive()) (byUuid.MemoryKiB, byUuid.VCpus) = (memoryKiB, vcpus);
            return new SimulatedDomain(this, uuid, name);
        }
    }

    internal DateTimeOffset Now => _fleet.Clock.GetUtcNow();

    /// <summary>A running, persistent domain at start.</summary>
    internal void Seed(string name)
    {
        var uuid = Guid.NewGuid();
        long memoryKiB = _fleet.Options.DomainMemoryMiB * 1024L;
        int vcpus = _fleet.Options.DomainVCpus;
        string xml = SimulatedDomainXml.Create(name, uuid, memoryKiB, vcpus, Path.Combine(_fleet.StorageDirectory, $"{name}.qcow2"));
        lock (_fleet.Gate)
            _domains[uuid] = new SimulatedDomainRecord
            {
                Name = name, Uuid = uuid, MemoryKiB = memoryKiB, VCpus = vcpus, Xml = xml,
                State = DomainRunState.Running, Persistent = true,
            };
    }

    internal T Read<T>(Guid uuid, Func<SimulatedDomainRecord, T> read)
    {
        lock (_fleet.Gate) return read(Require(uuid, "virDomainGetInfo"));
    }

    /// <summary>As <see cref="Read{T}"/>, but default when the domain is gone (libvirt has no statistics to give).</summary>
    internal T? TryRead<T>(Guid uuid, Func<SimulatedDomainRecord, T?> read)
    {
        lock (_fleet.Gate) return _domains.TryGetValue(uuid, out var r) ? read(r) : default;
    }

    internal void Change(Guid uuid, string operation, Action<SimulatedDomainRecord> change)
    {
        lock (_fleet.Gate) change(Require(uuid, operation));
    }

    internal void Undefine(Guid uuid)
    {
        lock (_fleet.Gate)
        {
            var r = Require(uuid, "virDomainUndefineFlags");
            if (!r.Persistent) throw Error("virDomainUndefineFlags", LibvirtErrorCode.OperationInvalid, "cannot undefine transient domain");
            if (r.State.IsActive()) r.Persistent = r.Autostart = false;
            else _domains.Remove(uuid);
        }
    }

    /// <summary>
    /// virDomainMigrateToURI3 as libvirt does it, peer to peer: checks both sides, runs the job for the model's time (a
    /// non-live one with the VM paused), then the destination has the domain — running, or defined for an offline move — and
    /// the source keeps an inactive definition, or nothing when it was transient or asked to undefine it.
    /// </summary>
    internal void Migrate(Guid uuid, MigrationRequest request)
    {
        const string op = "virDomainMigrateToURI3";
        bool offline = request.Flags.HasFlag(MigrationFlags.Offline);
        bool live = request.Flags.HasFlag(MigrationFlags.Live);
        SimulatedDomainRecord r;
        SimulatedJob job;
        SimulatedHost destination;
        DomainRunState arrivesAs;
        lock (_fleet.Gate)
        {
            r = Require(uuid, op);
            destination = _fleet.HostAt(request.DestinationUri)
                ?? throw Error(op, LibvirtErrorCode.SystemError, $"unable to connect to server at '{request.DestinationUri}': no simulated host there");
            if (destination == this) throw Error(op, LibvirtErrorCode.OperationInvalid, "Attempt to migrate guest to the same host");
            if (!destination.IsConnected) throw Error(op, LibvirtErrorCode.SystemError, $"unable to connect to {destination.HostName}: its hypervisor is unavailable");
            if (offline == r.State.IsActive())
                throw Error(op, LibvirtErrorCode.OperationInvalid, offline ? "domain is active: offline migration needs it shut off" : "domain is not running");
            if (r.Job is not null) throw Error(op, LibvirtErrorCode.OperationInvalid, "another migration job is already running for the domain");
            destination.RequireCanReceive(r, offline);
            arrivesAs = r.State == DomainRunState.Paused ? DomainRunState.Paused : DomainRunState.Running;
            long total = offline ? 0 : r.MemoryKiB * 1024;
            long bandwidth = Math.Min(_fleet.Options.BandwidthMiBps, (long?)request.BandwidthMiBps ?? long.MaxValue) * 1024 * 1024;
            job = r.Job = new SimulatedJob(Now, total, bandwidth, TimeSpan.FromSeconds((double)total / bandwidth), _fleet.DrawFailure());
            if (!live && !offline) r.State = DomainRunState.Paused;
        }

        job.Run();

        JobStats stats;
        lock (_fleet.Gate)
        {
            r.Job = null;
            if (job.Aborted || job.Fails)
            {
                if (!live && !offline && arrivesAs == DomainRunState.Running) r.State = DomainRunState.Running;   // libvirt resumes the source
                r.LastJob = job.Stats(job.Aborted ? JobType.Cancelled : JobType.Failed, Now, 0);
                throw job.Aborted
                    ? Error(op, LibvirtErrorCode.OperationAborted, "operation aborted: migration out job: canceled by client")
                    : Error(op, LibvirtErrorCode.OperationFailed, "operation failed: migration out job: simulated failure");
            }
            stats = job.Stats(JobType.Completed, Now, live ? _fleet.Options.DowntimeMs : 0);
            if (!live && !offline) stats = stats with { DowntimeMs = stats.ElapsedMs };
            destination.Receive(r, offline, arrivesAs, request.Flags.HasFlag(MigrationFlags.PersistDestination));
            bool undefine = request.Flags.HasFlag(MigrationFlags.UndefineSource);
            if (offline)
            {
                if (undefine) _domains.Remove(uuid);
            }
            else if (!r.Persistent || undefine)
            {
                _domains.Remove(uuid);
            }
            else
            {
                r.State = DomainRunState.Shutoff;
            }
            r.LastJob = stats;
        }
        JobCompleted?.Invoke(r.Name, stats);
    }

    private void RequireCanReceive(SimulatedDomainRecord incoming, bool offline)
    {
        var existing = Find(incoming.Name);
        if (existing is not null && existing.Uuid != incoming.Uuid)
            throw Error("virDomainMigratePrepare3Params", LibvirtErrorCode.OperationFailed, $"domain '{incoming.Name}' already exists with uuid {existing.Uuid}");
        if ((existing ?? (_domains.TryGetValue(incoming.Uuid, out var byUuid) ? byUuid : null)) is { } present && present.State.IsActive())
            throw Error("virDomainMigratePrepare3Params", LibvirtErrorCode.OperationInvalid, $"domain '{present.Name}' is already active on {HostName}");
    }

    /// <summary>The migrated domain arrives: an existing inactive definition (the one the migration defined) becomes the running
    /// domain's; without one the domain is transient, unless the migration persists it.</summary>
    private void Receive(SimulatedDomainRecord from, bool offline, DomainRunState state, bool persist)
    {
        if (!_domains.TryGetValue(from.Uuid, out var r))
            _domains[from.Uuid] = r = new SimulatedDomainRecord { Name = from.Name, Uuid = from.Uuid, MemoryKiB = from.MemoryKiB, VCpus = from.VCpus, Xml = from.Xml };
        else if (offline || !r.Persistent)
            r.Xml = from.Xml;
        r.MemoryKiB = from.MemoryKiB;
        r.VCpus = from.VCpus;
        r.Persistent = r.Persistent || persist || offline;
        r.State = offline ? DomainRunState.Shutoff : state;
    }

    private SimulatedDomainRecord? Find(string nameOrUuid) =>
        Guid.TryParse(nameOrUuid, out var uuid)
            ? _domains.GetValueOrDefault(uuid)
            : _domains.Values.FirstOrDefault(d => d.Name == nameOrUuid);

    private SimulatedDomainRecord Require(Guid uuid, string operation) =>
        _domains.TryGetValue(uuid, out var r) ? r : throw Error(operation, LibvirtErrorCode.NoDomain, $"Domain not found: no domain with matching uuid '{uuid}'");

    internal static LibvirtException Error(string operation, LibvirtErrorCode code, string message) => new(operation, code, 0, message);
}
