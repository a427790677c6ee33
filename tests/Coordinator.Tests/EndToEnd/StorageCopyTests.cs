using Drover.Api;
using Drover.Contracts.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>
/// VMs whose disks live on their host's own storage (the lab's /var/lib/drover, a different directory on every host):
/// with storage copy the destination creates the images, libvirt copies the disks during the migration, and a rollback
/// deletes what the destination created.
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
        foreach (var host in lab.Hosts) File.Delete(Image(host));
        return Task.CompletedTask;
    }

    private string Image(LabHost host) => Path.Combine(host.LocalDirectory, "images", _vm + ".qcow2");

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
