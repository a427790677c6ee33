using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>
/// Validation looks at every layer of every disk: a backing file must be shared as much as the image above it, a disk the
/// guest writes through the host's cache is refused for a migration that moves memory, and a storage copy refuses a chain
/// it would leave half behind.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class DiskLayerTests(AgentFixture lab) : IAsyncLifetime
{
    private readonly string _vm = "layer-" + Guid.NewGuid().ToString("N")[..8];
    private readonly AgentSteps _steps = new(lab);
    private readonly Guid _id = Guid.NewGuid();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        File.Delete(BaseOnA);
        foreach (string dir in new[] { Path.GetDirectoryName(SharedDisk)!, Path.GetDirectoryName(BaseOnA)! })
            foreach (string probe in Directory.GetFiles(dir, $".drover-probe-{_id:N}-*")) File.Delete(probe);
        return Task.CompletedTask;
    }

    /// <summary>A base image in kvm-a's own storage: /var/lib/drover/images inside the host.</summary>
    private string BaseOnA => Path.Combine(lab.A.LocalDirectory, "images", $"{_vm}-base.qcow2");

    private string SharedDisk => Path.Combine(Lab.Root, "shared", $"{_vm}.qcow2");

    private ValidateSource Validate(bool copyStorage = false) =>
        new() { Ticket = Tickets.Valid(), MigrationId = _id, Domain = _vm, Kind = MigrationKind.Live, CopyStorage = copyStorage };

    [Fact]
    public async Task A_disk_the_guest_writes_through_the_host_cache_is_refused_for_a_migration_that_moves_memory()
    {
        await Lab.CreateGuest(lab.A, _vm, stopped: true);
        using (var connection = lab.A.Connect())
        {
            using var defined = connection.FindDomain(_vm)!;
            string xml = defined.GetDefinitionXml();
            Assert.Contains("cache='none'", xml);
            using var redefined = connection.Define(xml.Replace("cache='none'", "cache='writeback'"));
            redefined.Start();
        }

        var failed = await _steps.ExpectFailure(lab.A, Validate(), _id);

        Assert.Equal(AgentFailureCode.UnsafeDiskCache, failed.Code);
        Assert.Contains($"Disk {SharedDisk} uses cache mode 'writeback'", failed.Reason);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(SharedDisk)!, $".drover-probe-{_id:N}-*"));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
    }

    [Fact]
    public async Task A_backing_file_only_the_source_sees_is_probed_and_refused_by_the_destination_and_a_copy_refuses_the_chain()
    {
        // The guest's disk on shared storage becomes an overlay whose base image is in kvm-a's local storage.
        await Lab.CreateGuest(lab.A, _vm, stopped: true);
        File.Copy(SharedDisk, BaseOnA);
        string baseInside = $"/var/lib/drover/images/{_vm}-base.qcow2";
        File.Delete(SharedDisk);
        await Shell.Run("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", baseInside, "-F", "qcow2", SharedDisk, "1M");
        using (var connection = lab.A.Connect())
        using (var domain = connection.FindDomain(_vm)!)
            domain.Start();

        var source = await _steps.Expect<SourceValidated>(lab.A, Validate(), _id);
        Assert.Equal([SharedDisk, baseInside], source.Probes.Select(p => p.DiskPath));

        var failed = await _steps.ExpectFailure(lab.B, AgentSteps.ValidateDestinationFor(source), _id);
        Assert.Equal(AgentFailureCode.StorageNotShared, failed.Code);
        Assert.Contains($"Disk {baseInside} is not on storage {lab.B.Name} shares with the source", failed.Reason);

        var copyId = Guid.NewGuid();
        var copy = await _steps.ExpectFailure(lab.A, Validate(copyStorage: true) with { MigrationId = copyId }, copyId);
        Assert.Equal(AgentFailureCode.StorageNotShared, copy.Code);
        Assert.Contains($"Disk {SharedDisk} has a backing file", copy.Reason);
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
    }

    [Fact]
    public async Task A_storage_pool_volume_is_resolved_and_probed_on_the_source_and_must_resolve_to_the_same_file_on_the_destination()
    {
        // Both hosts have a directory pool on the shared storage; the guest's disk is named as a volume of it.
        string pool = _vm + "-pool", shared = Path.GetDirectoryName(SharedDisk)!;
        await Lab.CreateGuest(lab.A, _vm, stopped: true);   // its image first: a pool lists the volumes it finds when it starts
        foreach (var host in new[] { lab.A, lab.B })
            await Shell.Run("virsh", "-q", "-c", host.LibvirtUri, "pool-create-as", pool, "dir", "--target", shared);
        try
        {
            using (var connection = lab.A.Connect())
            {
                using var defined = connection.FindDomain(_vm)!;
                var xml = System.Xml.Linq.XElement.Parse(defined.GetDefinitionXml());
                var disk = xml.Element("devices")!.Elements("disk").Single(d => (string?)d.Attribute("device") == "disk");
                disk.SetAttributeValue("type", "volume");
                disk.Element("source")!.ReplaceAttributes(new System.Xml.Linq.XAttribute("pool", pool), new System.Xml.Linq.XAttribute("volume", $"{_vm}.qcow2"));
                using var redefined = connection.Define(xml.ToString());
                redefined.Start();
            }

            var source = await _steps.Expect<SourceValidated>(lab.A, Validate(), _id);
            Assert.Equal([SharedDisk], source.Probes.Select(p => p.DiskPath));
            await _steps.Expect<DestinationValidated>(lab.B, AgentSteps.ValidateDestinationFor(source), _id);

            await Shell.Run("virsh", "-q", "-c", lab.B.LibvirtUri, "pool-destroy", pool);
            var failed = await _steps.ExpectFailure(lab.B, AgentSteps.ValidateDestinationFor(source) with { Ticket = Tickets.Valid(sequence: 2) }, _id);
            Assert.Equal(AgentFailureCode.StorageNotShared, failed.Code);
            Assert.Contains($"(pool {pool}, volume {_vm}.qcow2) does not resolve on {lab.B.Name}", failed.Reason);
            Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        }
        finally
        {
            Lab.Remove(_vm, lab.Hosts);
            foreach (var host in new[] { lab.A, lab.B })
                await Shell.TryRun("virsh", "-q", "-c", host.LibvirtUri, "pool-destroy", pool);
        }
    }
}
