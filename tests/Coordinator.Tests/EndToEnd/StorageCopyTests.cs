using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Migrations;
using Drover.HostAgent.Libvirt;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>
/// VMs whose disks live on their host's own storage (the lab's /var/lib/drover, a different directory on every host):
/// with storage copy the destination creates the images, libvirt copies the disks during a live migration or streams them
/// before an offline one, and a rollback deletes what the destination created.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed class StorageCopyTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "copy-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        foreach (var host in lab.Hosts)
        {
            File.Delete(Image(host));
            File.Delete(Image(host, "data.raw"));
        }
        return Task.CompletedTask;
    }

    private string Image(LabHost host, string suffix = "qcow2") => Path.Combine(host.LocalDirectory, "images", $"{_vm}.{suffix}");

    [Fact]
    public async Task A_live_migration_with_storage_copy_moves_a_vm_whose_disk_only_its_host_sees()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true);
        Assert.False(File.Exists(Image(lab.B)));
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { CopyStorage = true };

        await _driver.Expect<MigrationCompleted>(request);

        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
        // The copy is the source's image, block for block (the guest writes nothing to its disk).
        string compared = await Shell.Run("qemu-img", "compare", "-U", Image(lab.A), Image(lab.B));
        Assert.Contains("Images are identical", compared);
        var saga = await lab.Coordinator.Get<MigrationView>($"/api/migrations/{request.MigrationId}");
        Assert.Equal(1, saga.Attempt);
    }

    [Fact]
    public async Task An_offline_migration_with_storage_copy_streams_the_images_and_the_vm_boots_on_the_destination()
    {
        // A shut-off guest with its boot disk and a sparse raw data disk (32 MiB, 1 MiB of data in the middle) on kvm-a's
        // own storage: neither exists on kvm-b.
        await Lab.CreateGuest(lab.A, _vm, localDisk: true, stopped: true);
        string data = Image(lab.A, "data.raw");
        await Shell.Run("truncate", "-s", "32M", data);
        await Shell.Run("dd", "if=/dev/urandom", $"of={data}", "bs=1M", "seek=16", "count=1", "conv=notrunc", "status=none");
        using (var connection = lab.A.Connect())
        {
            using var defined = connection.FindDomain(_vm)!;
            connection.Define(defined.GetDefinitionXml().Replace("<serial type='file'>", $"""
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' cache='none'/>
                  <source file='/var/lib/drover/images/{_vm}.data.raw'/>
                  <target dev='vdb' bus='virtio'/>
                </disk>
                <serial type='file'>
                """)).Dispose();
        }
        Assert.False(File.Exists(Image(lab.B)));
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { Kind = MigrationKind.Offline, CopyStorage = true };

        await _driver.Expect<MigrationCompleted>(request);

        // Both images are on kvm-b, byte for byte, the data disk still sparse there (its holes travelled as holes).
        foreach (string suffix in new[] { "qcow2", "data.raw" })
            Assert.Equal(await Shell.Sha256(Image(lab.A, suffix)), await Shell.Sha256(Image(lab.B, suffix)));
        Assert.True(long.Parse(await Shell.Run("stat", "-c", "%b", Image(lab.B, "data.raw"))) * 512 < 8L << 20, "the copy of the sparse disk is sparse");
        Assert.Equal(DomainRunState.Shutoff, lab.B.StateOf(_vm));
        Assert.True(lab.B.IsPersistent(_vm));
        Assert.Equal(DomainRunState.Shutoff, lab.A.StateOf(_vm));   // by default the source keeps its definition and images
        Assert.True(File.Exists(Image(lab.A)));
        var saga = await lab.Coordinator.Get<MigrationView>($"/api/migrations/{request.MigrationId}");
        Assert.Equal(1, saga.Attempt);
        Assert.True(saga.DataProcessedBytes >= (32L << 20) + new FileInfo(Image(lab.A)).Length, $"{saga.DataProcessedBytes} bytes counted");

        // It boots there, from its copied disk.
        using (var connection = lab.B.Connect())
        using (var moved = connection.FindDomain(_vm)!)
            moved.Start();
        await SerialCounter.AssertKeepsCounting(lab.B, _vm);
    }

    [Fact]
    public async Task A_storage_copy_that_undefines_the_source_leaves_neither_its_image_nor_its_definition_there()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { CopyStorage = true, Persistent = true, UndefineSource = true };

        await _driver.Expect<MigrationCompleted>(request);

        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        Assert.True(lab.B.IsPersistent(_vm));
        Assert.Null(lab.A.StateOf(_vm));
        Assert.False(File.Exists(Image(lab.A)), "the source's image of the copied disk is removed with its definition");
        Assert.True(File.Exists(Image(lab.B)));
        await SerialCounter.AssertKeepsCounting(lab.B, _vm);
    }

    [Fact]
    public async Task A_storage_copy_rolled_back_leaves_nothing_on_the_destination()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { CopyStorage = true, BandwidthMiBps = 1 };
        await _driver.StartTransfer(request);
        Assert.True(File.Exists(Image(lab.B)), "the destination created the image before the transfer");

        await lab.Bus.Bus.Publish(new CancelMigration { MigrationId = request.MigrationId });

        var outcome = await _driver.Outcome(request.MigrationId);
        Assert.True(outcome is MigrationRolledBack { Cancelled: true }, MigrationDriver.Describe(outcome));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.False(File.Exists(Image(lab.B)), "the image the destination created is deleted");
        await SerialCounter.AssertKeepsCounting(lab.A, _vm);
    }

    [Fact]
    public async Task A_storage_copy_onto_a_disk_the_destination_already_sees_is_refused_and_overwrites_nothing()
    {
        await Lab.CreateGuest(lab.A, _vm);   // on shared storage: the same file on both hosts
        string disk = Assert.Single(lab.A.DisksOf(_vm));
        var before = await Shell.Run("sha256sum", disk);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { CopyStorage = true };

        var outcome = await _driver.Run(request);

        Assert.True(outcome is MigrationRolledBack or MigrationRejected, MigrationDriver.Describe(outcome));
        Assert.Contains($"is on storage {lab.B.Name} shares with other hosts", MigrationDriver.Describe(outcome));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Equal(before, await Shell.Run("sha256sum", disk));
    }
}
