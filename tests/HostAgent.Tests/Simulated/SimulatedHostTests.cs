using Drover.HostAgent.Hosting;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Hypervisors.Simulated;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace Drover.HostAgent.Tests.Simulated;

/// <summary>The simulated hypervisor answers as libvirt does (pure logic, for capacity work; it proves nothing about real
/// migrations — the lab does that).</summary>
[Trait("Category", "Fast")]
public sealed class SimulatedHostTests
{
    private static SimulatedFleet Fleet(int hosts = 2, int domains = 2, double failureRate = 0, int bandwidthMiBps = 64 * 1024) =>
        new(new AgentOptions
        {
            HostName = "sim",
            Hypervisor = HypervisorKind.Simulated,
            Simulated = new SimulatedOptions
            {
                Hosts = hosts, Domains = domains, DomainMemoryMiB = 256, BandwidthMiBps = bandwidthMiBps, TransferFailureRate = failureRate,
                StorageDirectory = Path.Combine(Path.GetTempPath(), "drover-simulated-tests"),
            },
        }, TimeProvider.System, NullLogger<SimulatedFleet>.Instance);

    private static MigrationRequest Live(SimulatedHost to) =>
        new() { DestinationUri = to.MigrationUri, Flags = MigrationFlags.PeerToPeer | MigrationFlags.Live };

    [Fact]
    public void Hosts_and_domains_are_named_from_the_prefix_and_spread_evenly()
    {
        var fleet = Fleet(hosts: 3, domains: 7);
        Assert.Equal(["sim-01", "sim-02", "sim-03"], fleet.Hosts.Select(h => h.HostName));
        Assert.Equal([3, 2, 2], fleet.Hosts.Select(h => h.ListDomains().Count));
        using var vm = fleet.Hosts[0].FindDomain("sim-vm-00001")!;
        Assert.Equal(DomainRunState.Running, vm.State);
        Assert.True(vm.IsPersistent);
        Assert.Single(DomainXml.Parse(vm.GetXml()).FileDisks);
        // a disk a live migration accepts: a file without the host's cache (validation refuses any other)
        Assert.Equal(("file", "none"), DomainXml.Parse(vm.GetXml()).Disks.Select(d => (d.Type, d.Cache)).Single());
        Assert.Equal(fleet.Hosts[0].GetHostInfo().MemoryKiB - 3 * 256 * 1024, fleet.Hosts[0].FreeMemoryKiB);
    }

    [Fact]
    public void A_live_migration_leaves_the_vm_running_transient_on_the_destination_and_defined_inactive_on_the_source()
    {
        var fleet = Fleet();
        var (a, b) = (fleet.Hosts[0], fleet.Hosts[1]);
        JobStats? completed = null;
        ((IHypervisorConnection)a).JobCompleted += (_, stats) => completed = stats;
        using var vm = a.FindDomain("sim-vm-00001")!;
        vm.Migrate(Live(b));

        Assert.Equal(DomainRunState.Shutoff, vm.State);
        using var arrived = b.FindDomain("sim-vm-00001")!;
        Assert.Equal((DomainRunState.Running, false, vm.Uuid), (arrived.State, arrived.IsPersistent, arrived.Uuid));
        Assert.Equal(JobType.Completed, completed?.Type);
        Assert.Equal(256L * 1024 * 1024, completed!.DataProcessedBytes);
        Assert.Equal(JobType.Completed, vm.FindJobStats(completed: true)?.Type);
    }

    [Fact]
    public void A_definition_made_first_on_the_destination_becomes_the_running_domains_and_keeps_its_mark()
    {
        var fleet = Fleet();
        var (a, b) = (fleet.Hosts[0], fleet.Hosts[1]);
        using var vm = a.FindDomain("sim-vm-00001")!;
        var migration = Guid.NewGuid();
        b.Define(DomainXml.Parse(vm.GetXml(migratable: true)).WithMigrationMark(migration)).Dispose();
        vm.Migrate(Live(b));

        using var arrived = b.FindDomain(vm.Uuid.ToString())!;
        Assert.True(arrived.IsPersistent);
        Assert.Equal(DomainRunState.Running, arrived.State);
        Assert.Equal(migration, DomainXml.Parse(arrived.GetDefinitionXml()).MigrationMark);
    }

    [Fact]
    public void An_aborted_transfer_fails_as_libvirt_does_and_leaves_the_vm_running_on_the_source_only()
    {
        var fleet = Fleet(bandwidthMiBps: 1);   // 256 s: aborted long before
        var (a, b) = (fleet.Hosts[0], fleet.Hosts[1]);
        using var vm = a.FindDomain("sim-vm-00001")!;
        var migration = Task.Run(() => vm.Migrate(Live(b)));
        SpinWait.SpinUntil(() => vm.FindJobStats() is { IsActive: true }, TimeSpan.FromSeconds(10));
        vm.AbortJob();

        var e = Assert.Throws<LibvirtException>(() => migration.GetAwaiter().GetResult());
        Assert.Equal(LibvirtErrorCode.OperationAborted, e.Code);
        Assert.Equal(DomainRunState.Running, vm.State);
        Assert.Null(b.FindDomain("sim-vm-00001"));
        Assert.Null(vm.FindJobStats());
    }

    [Fact]
    public void A_transfer_drawn_to_fail_fails_half_way_with_the_vm_still_on_the_source()
    {
        var fleet = Fleet(failureRate: 1);
        var (a, b) = (fleet.Hosts[0], fleet.Hosts[1]);
        using var vm = a.FindDomain("sim-vm-00001")!;
        var e = Assert.Throws<LibvirtException>(() => vm.Migrate(Live(b)));
        Assert.Equal(LibvirtErrorCode.OperationFailed, e.Code);
        Assert.Equal(DomainRunState.Running, vm.State);
        Assert.Null(b.FindDomain("sim-vm-00001"));
    }

    [Fact]
    public void Refuses_what_libvirt_refuses()
    {
        var fleet = Fleet();
        var (a, b) = (fleet.Hosts[0], fleet.Hosts[1]);
        using var vm = a.FindDomain("sim-vm-00001")!;
        Assert.Equal(LibvirtErrorCode.OperationInvalid, Assert.Throws<LibvirtException>(() => vm.Migrate(Live(a))).Code);
        Assert.Equal(LibvirtErrorCode.SystemError,
            Assert.Throws<LibvirtException>(() => vm.Migrate(new MigrationRequest { DestinationUri = "simulated://elsewhere/system", Flags = MigrationFlags.Live })).Code);
        var offline = new MigrationRequest { DestinationUri = b.MigrationUri, Flags = MigrationFlags.Offline | MigrationFlags.PersistDestination };
        Assert.Equal(LibvirtErrorCode.OperationInvalid, Assert.Throws<LibvirtException>(() => vm.Migrate(offline)).Code);
        Assert.Equal(LibvirtErrorCode.XmlError, Assert.Throws<LibvirtException>(() => b.Define("<domain><name>x</name></domain>")).Code);
        Assert.Equal(LibvirtErrorCode.OperationInvalid, Assert.Throws<LibvirtException>(() => vm.AbortJob()).Code);
    }

    [Fact]
    public void An_offline_migration_defines_the_shut_off_vm_on_the_destination_and_keeps_it_on_the_source()
    {
        var fleet = Fleet(hosts: 3);
        var (a, b, c) = (fleet.Hosts[0], fleet.Hosts[1], fleet.Hosts[2]);
        using var vm = a.FindDomain("sim-vm-00001")!;
        vm.Migrate(Live(b));   // now shut off on a, running on b
        MigrationRequest Offline(SimulatedHost to) =>
            new() { DestinationUri = to.MigrationUri, Flags = MigrationFlags.PeerToPeer | MigrationFlags.Offline | MigrationFlags.PersistDestination };

        Assert.Equal(LibvirtErrorCode.OperationInvalid, Assert.Throws<LibvirtException>(() => vm.Migrate(Offline(b))).Code);
        vm.Migrate(Offline(c));
        using var defined = c.FindDomain("sim-vm-00001")!;
        Assert.Equal((DomainRunState.Shutoff, true), (defined.State, defined.IsPersistent));
        Assert.Equal((DomainRunState.Shutoff, true), (vm.State, vm.IsPersistent));
    }

    [Fact]
    public void An_unavailable_host_does_not_answer_as_a_libvirtd_that_is_away()
    {
        var fleet = Fleet();
        fleet.Options.UnavailableHosts.Add(fleet.Hosts[1].HostName);
        Assert.False(fleet.Hosts[1].IsConnected);
        Assert.Equal(LibvirtErrorCode.SystemError, Assert.Throws<LibvirtException>(() => fleet.Hosts[1].Connection).Code);
        using var vm = fleet.Hosts[0].FindDomain("sim-vm-00001")!;
        Assert.Equal(LibvirtErrorCode.SystemError, Assert.Throws<LibvirtException>(() => vm.Migrate(Live(fleet.Hosts[1]))).Code);
        Assert.Equal(DomainRunState.Running, vm.State);
    }
}
