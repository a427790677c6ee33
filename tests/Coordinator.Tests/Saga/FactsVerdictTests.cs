using Drover.Api;
using Drover.Contracts;
using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Tests.Saga;

/// <summary>What the saga concludes from both hosts' facts after a failed or silent transfer or switch.</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class FactsVerdictTests
{
    private static readonly Guid Id = Guid.NewGuid();

    private static MigrationState Facts(string source, string destination, bool marked = true, bool transfer = false,
        MigrationKind kind = MigrationKind.Live, bool wasRunning = true, string after = nameof(MigrationStatus.TransferringMemory)) => new()
    {
        CorrelationId = Id, Kind = kind, WasActive = kind != MigrationKind.Offline, WasRunning = wasRunning && kind != MigrationKind.Offline,
        SourceHost = "kvm-a", DestinationHost = "kvm-b", SourceFacts = source, DestinationFacts = destination,
        DestinationMark = marked ? Id : null, SourceTransferInProgress = transfer, ReconcileAfter = after,
    };

    [Theory]
    [InlineData("absent", "running", Verdict.OnDestination)]        // a transient source that left
    [InlineData("shutoff", "running", Verdict.OnDestination)]       // the source keeps its definition
    [InlineData("shutoff", "paused", Verdict.OnDestination)]        // arrived paused: the cut-over resumes it
    [InlineData("running", "shutoff", Verdict.OnSource)]            // the transfer failed; our definition waits there
    [InlineData("running", "absent", Verdict.OnSource)]
    [InlineData("paused", "absent", Verdict.OnSource)]              // libvirt handed it back paused: the rollback resumes it
    [InlineData("paused", "paused", Verdict.Unsettled)]             // in the middle of the switch
    [InlineData("paused", "running", Verdict.Unsettled)]            // the source's QEMU not stopped yet
    [InlineData("running", "running", Verdict.Contradictory)]       // never: an operator must look
    [InlineData("shutoff", "absent", Verdict.Contradictory)]        // a running VM on neither host
    public void A_live_migration_goes_where_the_vm_is(string source, string destination, Verdict expected) =>
        Assert.Equal(expected, FactsVerdict.Decide(Facts(source, destination)));

    [Fact]
    public void A_vm_on_the_destination_without_this_migrations_mark_is_not_taken_for_ours() =>
        Assert.Equal(Verdict.Contradictory, FactsVerdict.Decide(Facts("shutoff", "running", marked: false)));

    [Fact]
    public void A_job_still_running_on_the_source_is_waited_for_after_a_silent_transfer_only()
    {
        Assert.Equal(Verdict.TransferStillRuns, FactsVerdict.Decide(Facts("running", "paused", transfer: true)));
        Assert.Equal(Verdict.Unsettled, FactsVerdict.Decide(Facts("running", "paused", transfer: true, after: nameof(MigrationStatus.CuttingOver))));
    }

    [Fact]
    public void A_switch_that_could_not_resume_the_vm_on_the_destination_is_not_tried_again()
    {
        Assert.Equal(Verdict.Contradictory, FactsVerdict.Decide(Facts("shutoff", "paused", after: nameof(MigrationStatus.CuttingOver))));
        Assert.Equal(Verdict.OnDestination, FactsVerdict.Decide(Facts("shutoff", "paused", wasRunning: false, after: nameof(MigrationStatus.CuttingOver))));
    }

    [Theory]
    [InlineData("shutoff", "shutoff", Verdict.OnDestination)]
    [InlineData("shutoff", "absent", Verdict.OnSource)]
    [InlineData("running", "shutoff", Verdict.OnSource)]
    [InlineData("shutoff", "running", Verdict.Contradictory)]   // someone started it there: not what an offline move does
    public void An_offline_migration_goes_where_the_definition_is(string source, string destination, Verdict expected) =>
        Assert.Equal(expected, FactsVerdict.Decide(Facts(source, destination, kind: MigrationKind.Offline, after: nameof(MigrationStatus.CuttingOver))));

    [Theory]
    [InlineData(true, nameof(MigrationStatus.TransferringMemory), Verdict.OnDestination)]   // streamed whole: the cut-over checks it
    [InlineData(false, nameof(MigrationStatus.TransferringMemory), Verdict.OnSource)]       // the streams stopped part way
    [InlineData(true, nameof(MigrationStatus.CuttingOver), Verdict.OnSource)]               // the check failed: the copy is not used
    public void An_offline_copy_counts_on_the_destination_only_once_streamed_whole_and_not_after_a_failed_check(bool digests, string after, Verdict expected)
    {
        var s = Facts("shutoff", "shutoff", kind: MigrationKind.Offline, after: after);
        s.CopiedDisks = [new Contracts.Agent.DiskImage { Path = "/var/lib/drover/images/vm.qcow2", Format = "qcow2", CapacityBytes = 1 << 20, Sha256 = digests ? "ab" : null }];
        Assert.Equal(expected, FactsVerdict.Decide(s));
    }

    [Fact]
    public void Backoff_doubles_up_to_its_cap()
    {
        var o = new SagaOptions { ResendBackoff = TimeSpan.FromSeconds(1), ResendBackoffMax = TimeSpan.FromSeconds(30), RetryBackoff = TimeSpan.FromSeconds(5), RetryBackoffMax = TimeSpan.FromMinutes(2) };
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(0, 7).Select(n => Backoff.Step(n, o).TotalSeconds));
        Assert.Equal([5, 10, 20, 40, 80, 120], Enumerable.Range(2, 6).Select(n => Backoff.Attempt(n, o).TotalSeconds));
    }
}
