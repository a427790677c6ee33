using Drover.Contracts;
using Drover.Contracts.Migrations;
using Drover.HostAgent.Libvirt;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Every kind, and the Persistent / UndefineSource options, checked in libvirt on both hosts.</summary>
[Collection(SqliteCollection.Name)]
public sealed class KindsAndOptionsTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "kind-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]   // UndefineSource without Persistent is refused (the VM would vanish at its next shutdown)
    public async Task A_non_live_migration_honours_persistent_and_undefine_source(bool persistent, bool undefineSource)
    {
        await Lab.CreateGuest(lab.A, _vm);

        await _driver.Expect<MigrationCompleted>(MigrationDriver.Request(_vm, lab.A, lab.B, MigrationKind.NonLive) with
        {
            Persistent = persistent,
            UndefineSource = undefineSource,
        });

        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertContinues(lab.A, lab.B, _vm);
        Assert.Equal(persistent, lab.B.IsPersistent(_vm));
        Assert.Equal(undefineSource ? null : DomainRunState.Shutoff, lab.A.StateOf(_vm));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_offline_migration_moves_the_definition_of_a_shut_off_guest_and_removes_the_source_one_when_asked(bool undefineSource)
    {
        await Lab.CreateGuest(lab.A, _vm, stopped: true);

        var request = MigrationDriver.Request(_vm, lab.A, lab.B, MigrationKind.Offline) with { UndefineSource = undefineSource };
        await _driver.Expect<MigrationCompleted>(request);

        Assert.Equal(DomainRunState.Shutoff, lab.B.StateOf(_vm));
        Assert.True(lab.B.IsPersistent(_vm));   // an offline VM has nothing running: its definition is what moved
        Assert.Equal(undefineSource ? null : DomainRunState.Shutoff, lab.A.StateOf(_vm));
        Assert.DoesNotContain("TransferringMemory", _driver.States(request.MigrationId));
    }

    [Fact]
    public async Task An_offline_migration_of_a_guest_with_a_local_disk_moves_its_definition_and_the_source_keeps_its_own()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true, stopped: true);

        await _driver.Expect<MigrationCompleted>(MigrationDriver.Request(_vm, lab.A, lab.B, MigrationKind.Offline));

        Assert.Equal(DomainRunState.Shutoff, lab.B.StateOf(_vm));
        Assert.Equal(DomainRunState.Shutoff, lab.A.StateOf(_vm));   // beside its disk, which did not move
    }

    [Fact]
    public async Task An_offline_migration_that_would_undefine_the_source_of_a_guest_whose_disk_is_not_shared_is_rejected_and_changes_nothing()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true, stopped: true);
        string disk = Assert.Single(lab.A.DisksOf(_vm));

        var rejected = await _driver.Expect<MigrationRejected>(
            MigrationDriver.Request(_vm, lab.A, lab.B, MigrationKind.Offline) with { UndefineSource = true });

        Assert.Contains(disk, rejected.Reason);
        Assert.Contains("not on storage", rejected.Reason);
        Assert.Equal(DomainRunState.Shutoff, lab.A.StateOf(_vm));
        Assert.True(lab.A.IsPersistent(_vm));
        Assert.Null(lab.B.StateOf(_vm));
        Assert.True(File.Exists(Path.Combine(lab.A.LocalDirectory, Path.GetRelativePath("/var/lib/drover", disk))), "the disk is gone");
    }

    [Fact]
    public async Task A_moved_vm_cannot_start_again_on_the_source_and_keeps_its_autostart_on_the_destination()
    {
        await Lab.CreateGuest(lab.A, _vm);
        await Shell.Run("virsh", "-q", "-c", lab.A.LibvirtUri, "autostart", _vm);

        await _driver.Expect<MigrationCompleted>(MigrationDriver.Request(_vm, lab.A, lab.B) with { Persistent = true });

        Assert.False(lab.A.Autostart(_vm), "the source's kept definition still starts at boot");
        Assert.True(lab.B.Autostart(_vm));
        // What a reboot of the source would do: start its kept definition. The disk is in use by the running copy.
        var start = await Shell.TryRun("virsh", "-q", "-c", lab.A.LibvirtUri, "start", _vm);
        Assert.NotEqual(0, start.ExitCode);
        Assert.Contains("lock", start.Output);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await SerialCounter.AssertKeepsCounting(lab.B, _vm);
    }
}
