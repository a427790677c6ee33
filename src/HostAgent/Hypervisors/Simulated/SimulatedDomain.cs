using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Hypervisors.Simulated;

/// <summary>A handle on one simulated domain: like a libvirt domain handle, it reads the host's current record on every call
/// and fails with libvirt's "no domain" once the domain is gone.</summary>
internal sealed class SimulatedDomain(SimulatedHost host, Guid uuid, string name) : IHypervisorDomain
{
    public string Name => name;

    public Guid Uuid => uuid;

    public DomainRunState State => host.Read(uuid, r => r.State);

    public bool IsPersistent => host.Read(uuid, r => r.Persistent);

    public bool Autostart
    {
        get => host.Read(uuid, r => r.Autostart);
        set => host.Change(uuid, "virDomainSetAutostart", r =>
        {
            if (!r.Persistent) throw SimulatedHost.Error("virDomainSetAutostart", LibvirtErrorCode.OperationInvalid, "cannot set autostart for transient domain");
            r.Autostart = value;
        });
    }

    public (long MemoryKiB, int VCpus) Size => host.Read(uuid, r => (r.MemoryKiB, r.VCpus));

    public string GetXml(bool migratable = false) => host.Read(uuid, r => r.Xml);

    /// <summary>Simulated disks are as large as the domain's memory.</summary>
    public long DiskCapacity(string path) => host.Read(uuid, r => r.MemoryKiB * 1024);

    public string GetDefinitionXml() => GetXml();

    public void Undefine() => host.Undefine(uuid);

    public void Suspend() => host.Change(uuid, "virDomainSuspend", r =>
    {
        if (!r.State.IsActive()) throw SimulatedHost.Error("virDomainSuspend", LibvirtErrorCode.OperationInvalid, "domain is not running");
        r.State = DomainRunState.Paused;
    });

    public void Resume() => host.Change(uuid, "virDomainResume", r =>
    {
        if (r.State != DomainRunState.Paused) throw SimulatedHost.Error("virDomainResume", LibvirtErrorCode.OperationInvalid, "domain is not paused");
        r.State = DomainRunState.Running;
    });

    public void Migrate(MigrationRequest request) => host.Migrate(uuid, request);

    public JobStats? FindJobStats(bool completed = false) =>
        host.TryRead(uuid, r => completed ? r.LastJob : r.Job?.Stats(JobType.Unbounded, host.Now, 0));

    public void AbortJob() => host.Change(uuid, "virDomainAbortJob", r => Job(r, "virDomainAbortJob").Abort());

    public void StartPostCopy() => host.Change(uuid, "virDomainMigrateStartPostCopy", r => Job(r, "virDomainMigrateStartPostCopy").SwitchToPostCopy());

    public void SetMaxDowntime(TimeSpan downtime) => host.Change(uuid, "virDomainMigrateSetMaxDowntime", r => Job(r, "virDomainMigrateSetMaxDowntime"));

    public void StartDirtyRateCalc(int seconds) => host.Read(uuid, r => r);   // a simulated guest dirties nothing: measured at once

    public DirtyRateReading ReadDirtyRate() => new(DirtyRateReading.Measured, 0, host.Now.ToUnixTimeSeconds());

    public void SetMaxSpeed(ulong mibps) => host.Change(uuid, "virDomainMigrateSetMaxSpeed", r => Job(r, "virDomainMigrateSetMaxSpeed"));

    private static SimulatedJob Job(SimulatedDomainRecord r, string operation) =>
        r.Job ?? throw SimulatedHost.Error(operation, LibvirtErrorCode.OperationInvalid, "no job is active on the domain");

    public void Dispose()
    {
    }
}
