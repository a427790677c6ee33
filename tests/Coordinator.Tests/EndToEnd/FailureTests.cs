using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using Drover.HostAgent.Libvirt;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Real operations made to fail: the saga compensates, the VM runs on the source, nothing is left on the destination.</summary>
[Collection(SqliteCollection.Name)]
public sealed class FailureTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "fail-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task When_the_name_is_taken_on_the_destination_the_migration_is_rejected_and_both_guests_keep_running()
    {
        await Lab.CreateGuest(lab.A, _vm);
        await Lab.CreateGuest(lab.B, _vm, localDisk: true);

        var rejected = await _driver.Expect<MigrationRejected>(MigrationDriver.Request(_vm, lab.A, lab.B));

        Assert.Contains("already running", rejected.Reason);
        Assert.Equal(DomainRunState.Running, lab.A.StateOf(_vm));
        Assert.Equal(DomainRunState.Running, lab.B.StateOf(_vm));
        Assert.Empty(Directory.GetFiles(Path.Combine(Lab.Root, "shared"), $".drover-probe-{rejected.MigrationId:N}-*"));
    }

    [Fact]
    public async Task When_the_memory_transfer_is_aborted_in_libvirt_the_migration_rolls_back()
    {
        await Lab.CreateGuest(lab.A, _vm);
        await Shell.Run("virsh", "-q", "-c", lab.A.LibvirtUri, "autostart", _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 4 };
        await _driver.StartTransfer(request);

        await Shell.Run("virsh", "-q", "-c", lab.A.LibvirtUri, "domjobabort", _vm);

        var outcome = await _driver.Outcome(request.MigrationId);
        var rolledBack = Assert.IsType<MigrationRolledBack>(outcome);
        Assert.False(rolledBack.Cancelled);
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
        await _driver.WaitForState(request.MigrationId, "RolledBack");
        Assert.Equal(["RollingBack", "RolledBack"], _driver.States(request.MigrationId).TakeLast(2));
        Assert.True(lab.A.Autostart(_vm));   // the VM did not move: its source keeps starting it at boot
        await AssertProbesRemoved(request.MigrationId);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task When_the_destination_cannot_resume_the_guest_at_the_switch_it_is_handed_back_and_rolls_back()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { MaxAttempts = 1 };
        // Another process holds the disk image and lets nobody else write it (QEMU's own lock byte for "write not
        // shared"): the running source keeps its write access, but the destination cannot take it when it resumes the
        // guest at the switch, so QEMU refuses to continue there and libvirt hands the guest back to the source.
        using (var holder = new FileStream(Lab.SharedDisk(_vm), FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            holder.Lock(QemuLockBytes.WriteNotShared, 1);
            await lab.Bus.Bus.Publish(request);
            // The destination's QEMU runs (paused, incoming) and then stops: the first reading can come before it starts,
            // when only the inactive definition is there, and a tiny guest's unthrottled attempt can be over (the source
            // reported the transfer failed) before any progress report.
            await Eventually.True(() => lab.B.StateOf(_vm)?.IsActive() == true || TransferFailed(request.MigrationId), TimeSpan.FromSeconds(60),
                $"{_vm}'s incoming QEMU on {lab.B.Name}, or the transfer's failure");
            await Eventually.True(() => lab.B.StateOf(_vm)?.IsActive() != true, TimeSpan.FromSeconds(60), $"{_vm}'s QEMU on {lab.B.Name} stopped");
        }   // let go before the source takes its write access back

        var rolledBack = Assert.IsType<MigrationRolledBack>(await _driver.Outcome(request.MigrationId));
        Assert.Contains("lock", rolledBack.Reason);
        Assert.DoesNotContain("CuttingOver", _driver.States(request.MigrationId));   // the switch is inside libvirt's transfer
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Equal(DomainRunState.Running, lab.A.StateOf(_vm));
        Assert.Null(lab.B.StateOf(_vm));
        await SerialCounter.AssertKeepsCounting(lab.A, _vm);
    }

    private bool TransferFailed(Guid id) =>
        lab.Bus.Events.All<StepFailed>(f => f.MigrationId == id && f.Step == nameof(TransferMemory)).Any();

    [Fact]
    public async Task A_rollback_puts_back_the_definition_the_destination_had_before()
    {
        await Lab.CreateGuest(lab.A, _vm);
        // The VM lived on the destination once: its (inactive) definition is still there, as the chapter leaves it.
        string before;
        using (var a = lab.A.Connect())
        using (var source = a.FindDomain(_vm)!)
            before = source.GetDefinitionXml().Replace("<name>", "<description>left here by an earlier migration</description><name>", StringComparison.Ordinal);
        using (var b = lab.B.Connect())
            b.Define(before).Dispose();
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 4 };
        await _driver.StartTransfer(request);

        await Shell.Run("virsh", "-q", "-c", lab.A.LibvirtUri, "domjobabort", _vm);

        Assert.IsType<MigrationRolledBack>(await _driver.Outcome(request.MigrationId));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        using var destination = lab.B.Connect();
        using var kept = destination.FindDomain(_vm);
        Assert.NotNull(kept);
        Assert.Equal(DomainRunState.Shutoff, kept.State);
        Assert.Contains("left here by an earlier migration", kept.GetDefinitionXml());
        Assert.DoesNotContain("drover.dev/xmlns/migration", kept.GetDefinitionXml());
    }

    [Fact]
    public async Task When_the_destination_cannot_be_reached_the_transfer_fails_and_rolls_back()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B, MigrationKind.NonLive) with { MaxAttempts = 1 };
        // The source host has no route to the destination's libvirtd any more (a refused route fails the connection
        // at once; a silently dropped one would wait for TCP's own timeout); the coordinator still sees both agents.
        string sourceNamespace = $"{LabPrefix}-{lab.A.Name}", destination = $"{new Uri(lab.B.MigrationUri).Host}/32";
        await Shell.Run("ip", "-n", sourceNamespace, "route", "add", "unreachable", destination);
        try
        {
            var outcome = await _driver.Outcome((await Publish(request)).MigrationId);
            Assert.IsType<MigrationRolledBack>(outcome);
        }
        finally
        {
            await Shell.Run("ip", "-n", sourceNamespace, "route", "del", "unreachable", destination);
        }
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
    }

    [Fact]
    public async Task When_the_destination_cannot_store_the_definition_the_migration_rolls_back_and_nothing_is_left_there()
    {
        await Lab.CreateGuest(lab.A, _vm);
        // libvirt on the destination can no longer write domain configurations: DefineDomain fails for real.
        string readOnly = "mkdir -p /etc/libvirt/qemu && mount --bind /etc/libvirt/qemu /etc/libvirt/qemu && mount -o remount,bind,ro /etc/libvirt/qemu";
        await Shell.Run(Repository.Script("lab.sh"), "exec", lab.B.Name, "sh", "-c", readOnly);
        try
        {
            var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { MaxAttempts = 1 };
            var rolledBack = Assert.IsType<MigrationRolledBack>(await _driver.Run(request));
            Assert.False(rolledBack.Cancelled);
            await _driver.WaitForState(request.MigrationId, "RolledBack");   // state changes come on their own queue
            Assert.Equal(["DefiningDomain", "RollingBack", "RolledBack"], _driver.States(request.MigrationId).TakeLast(3));
            await AssertProbesRemoved(request.MigrationId);
        }
        finally
        {
            await Shell.Run(Repository.Script("lab.sh"), "exec", lab.B.Name, "umount", "/etc/libvirt/qemu");
        }
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
    }

    /// <summary>QEMU's image locking (file-posix): byte 100 + n is held for permission n in use, 200 + n for permission n not shared.</summary>
    private static class QemuLockBytes
    {
        public const long WriteNotShared = 200 + 1;   // BLK_PERM_WRITE is bit 1
    }

    /// <summary>The storage probes written beside the disk are gone once the rollback finished (removal is asynchronous).</summary>
    private static Task AssertProbesRemoved(Guid migrationId) =>
        Eventually.True(() => Directory.GetFiles(Path.Combine(Lab.Root, "shared"), $".drover-probe-{migrationId:N}-*").Length == 0,
            TimeSpan.FromSeconds(30), $"the probes of {migrationId} removed");

    private static string LabPrefix => Environment.GetEnvironmentVariable("DROVER_LAB_PREFIX") ?? "drover";

    private async Task<MigrateVm> Publish(MigrateVm request)
    {
        await lab.Bus.Bus.Publish(request);
        return request;
    }
}
