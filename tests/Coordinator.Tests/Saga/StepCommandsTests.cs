using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Tests.Saga;

/// <summary>What each step of a migration with storage copy sends: an offline copy streams its images and checks them at
/// the cut-over, with time to read them back; a live copy leaves the copying to libvirt.</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class StepCommandsTests
{
    private static readonly SagaOptions Options = new();

    private static MigrationState Copying(MigrationKind kind, string state) => new()
    {
        CorrelationId = Guid.NewGuid(), Vm = "vm1", DomainName = "vm1", DomainUuid = Guid.NewGuid(), SourceHost = "kvm-a", DestinationHost = "kvm-b",
        DestinationMigrationUri = "qemu+tls://kvm-b/system", Kind = kind, CopyStorage = true, CurrentState = state, MigratableXml = "<domain/>",
        CopiedDisks = [new DiskImage { Path = "/var/lib/drover/images/vm1.qcow2", Format = "qcow2", CapacityBytes = 1L << 30, Sha256 = "ab" }],
    };

    private static T Command<T>(MigrationState s) => Assert.IsType<T>(Assert.Single(StepCommands.For(s, StepCommands.Ticket(s, Options))).Command);

    [Fact]
    public void An_offline_copy_streams_its_images_and_checks_them_at_the_cut_over()
    {
        Assert.True(Command<DefineDomain>(Copying(MigrationKind.Offline, nameof(MigrationStatus.DefiningDomain))).StreamDisks);
        var transfer = Command<TransferMemory>(Copying(MigrationKind.Offline, nameof(MigrationStatus.TransferringMemory)));
        Assert.Equal("/var/lib/drover/images/vm1.qcow2", Assert.Single(transfer.StreamDisks).Path);
        Assert.False(transfer.StorageVerified);
        var cutOver = Copying(MigrationKind.Offline, nameof(MigrationStatus.CuttingOver));
        Assert.Equal("ab", Assert.Single(Command<CutOver>(cutOver).VerifyDisks).Sha256);
        // 1 GiB read back at 100 MiB/s: about ten seconds more than an ordinary step.
        Assert.Equal(Options.StepTimeout + TimeSpan.FromSeconds(10.24), StepCommands.Timeout(cutOver, Options));
    }

    [Fact]
    public void A_live_copy_leaves_the_copying_to_libvirt()
    {
        Assert.False(Command<DefineDomain>(Copying(MigrationKind.Live, nameof(MigrationStatus.DefiningDomain))).StreamDisks);
        var transfer = Command<TransferMemory>(Copying(MigrationKind.Live, nameof(MigrationStatus.TransferringMemory)));
        Assert.Empty(transfer.StreamDisks);
        Assert.True(transfer.Tuning.CopyStorage);
        var cutOver = Copying(MigrationKind.Live, nameof(MigrationStatus.CuttingOver));
        Assert.Empty(Command<CutOver>(cutOver).VerifyDisks);
        Assert.Equal(Options.StepTimeout, StepCommands.Timeout(cutOver, Options));
    }
}
