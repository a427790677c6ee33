using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Tests.Saga;

/// <summary>Every transition and compensation of the migration saga, on the in-memory harness.</summary>
public sealed class MigrationStateMachineSpecs : IAsyncLifetime
{
    private SagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await SagaHarness.Start();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_valid_request_waits_in_Queued_for_admission()
    {
        await _h.AdvanceTo(m => m.Queued);

        Assert.Equal("Queued", (await _h.Published<MigrationStateChanged>()).State);
        Assert.Equal(0, _h.SentCount<ValidateSource>());
    }

    [Fact]
    public async Task An_invalid_request_is_rejected_with_its_field()
    {
        await _h.Publish(_h.Request() with { BandwidthMiBps = 0 });

        await _h.InState(m => m.Rejected);
        var rejected = await _h.Published<MigrationRejected>();
        Assert.Equal("BandwidthMiBps", rejected.Field);
        Assert.Contains("must be positive", rejected.Reason);
    }

    [Fact]
    public async Task Admission_sends_the_source_validation_to_the_source_host()
    {
        await _h.AdvanceTo(m => m.ValidatingStorage);

        var command = await _h.Sent<ValidateSource>();
        Assert.Equal("web01", command.Domain);
        Assert.Equal("qemu+tcp://b/system", _h.Current!.DestinationMigrationUri);
    }

    [Fact]
    public async Task A_refused_admission_ends_Rejected()
    {
        await _h.AdvanceTo(m => m.Queued);

        await _h.Publish(new RefuseMigration { MigrationId = _h.Id, Field = "DestinationHost", Reason = "Host 'kvm-b' is down" });

        await _h.InState(m => m.Rejected);
        Assert.Equal("Host 'kvm-b' is down", (await _h.Published<MigrationRejected>()).Reason);
    }

    [Fact]
    public async Task A_destination_that_refuses_validation_rejects_the_migration_and_removes_the_probes()
    {
        await _h.AdvanceTo(m => m.ValidatingStorage);
        await _h.Publish(new SourceValidated
        {
            MigrationId = _h.Id, Host = "kvm-a", DomainName = "web01", DomainUuid = Guid.NewGuid(), WasActive = true, WasRunning = true, MigratableXml = "<domain/>",
            MemoryKiB = 1, VCpus = 1, Probes = [new DiskProbe { DiskPath = "/s/d", ProbePath = "/s/.drover-probe-x-0", Token = "t" }], LocalDisks = [],
            LibvirtVersion = 1, HypervisorVersion = 1,
        });
        await _h.Sent<ValidateDestination>();

        await _h.Publish(_h.Failure<ValidateDestination>("kvm-b", AgentFailureCode.StorageNotShared));

        await _h.InState(m => m.Rejected);
        Assert.Equal(["/s/.drover-probe-x-0"], (await _h.Sent<CleanUpSource>()).ProbePaths);
        Assert.Equal(0, _h.SentCount<DefineDomain>());
    }

    [Fact]
    public async Task The_happy_path_cleans_both_hosts_and_completes_with_the_measured_downtime()
    {
        await _h.AdvanceTo(m => m.CleaningUp);
        Assert.False((await _h.Sent<CleanUpDestination>()).Persistent);

        await _h.Publish(new SourceCleanedUp { MigrationId = _h.Id, Host = "kvm-a", StillDefined = true });
        await _h.Publish(new DestinationCleanedUp { MigrationId = _h.Id, Host = "kvm-b", Persistent = false });

        await _h.InState(m => m.Completed);
        Assert.Equal(42, (await _h.Published<MigrationCompleted>()).DowntimeMs);
    }

    [Fact]
    public async Task An_offline_migration_skips_the_memory_transfer()
    {
        await _h.AdvanceTo(m => m.CuttingOver, MigrationKind.Offline);

        Assert.Equal(0, _h.SentCount<TransferMemory>());
        Assert.Equal(MigrationKind.Offline, (await _h.Sent<CutOver>()).Kind);
    }

    [Fact]
    public async Task Progress_never_goes_backwards()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(Progress(processed: 60, remaining: 40));
        await Until(() => _h.Current!.PercentComplete == 60);
        await _h.Publish(Progress(processed: 70, remaining: 60));   // a new iteration re-sends dirty pages
        await Until(() => _h.Current!.Iteration == 2);

        Assert.Equal(60, _h.Current!.PercentComplete);
    }

    [Fact]
    public async Task A_failed_definition_is_undone_like_a_failed_transfer_and_ends_RolledBack()
    {
        await _h.AdvanceTo(m => m.DefiningDomain);

        await _h.Publish(_h.Failure<DefineDomain>("kvm-b"));
        await _h.InState(m => m.RollingBack);
        await _h.Sent<UndefineDomain>();
        await _h.Publish(new DomainUndefined { MigrationId = _h.Id, Host = "kvm-b" });
        await _h.Publish(new DomainResumed { MigrationId = _h.Id, Host = "kvm-a", State = "running" });

        await _h.InState(m => m.RolledBack);
        Assert.Equal(0, _h.SentCount<TransferMemory>());
        Assert.Contains("kvm-b", (await _h.Published<MigrationRolledBack>()).Reason);
    }

    [Fact]
    public async Task A_failed_transfer_undefines_the_destination_and_resumes_the_source_then_ends_RolledBack()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(_h.Failure<TransferMemory>("kvm-a"));
        await _h.InState(m => m.RollingBack);
        await _h.Sent<UndefineDomain>();
        await _h.Sent<ResumeDomain>();
        await _h.Publish(new DomainUndefined { MigrationId = _h.Id, Host = "kvm-b" });
        await _h.Publish(new DomainResumed { MigrationId = _h.Id, Host = "kvm-a", State = "running" });

        await _h.InState(m => m.RolledBack);
        Assert.False((await _h.Published<MigrationRolledBack>()).Cancelled);
    }

    [Fact]
    public async Task Convergence_escalations_are_recorded_and_one_that_gives_up_rolls_back_with_its_reason()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(Escalated(ConvergenceAction.RaiseMaxDowntime, iteration: 5));
        await _h.Publish(Escalated(ConvergenceAction.Abort, iteration: 8));
        await Until(() => _h.Current!.EscalationsJson.Contains("Abort"));
        await _h.Publish(_h.Failure<TransferMemory>("kvm-a", AgentFailureCode.DidNotConverge));
        await _h.InState(m => m.RollingBack);
        Assert.True((await _h.Sent<ResumeDomain>()).WasRunning);

        var view = MigrationView.From(_h.Current!);
        Assert.Equal(["RaiseMaxDowntime", "Abort"], view.Escalations.Select(e => e.Action));
        Assert.Equal([5, 8], view.Escalations.Select(e => e.Iteration));
    }

    private MigrationEscalated Escalated(ConvergenceAction action, int iteration) => new()
    {
        MigrationId = _h.Id, Host = "kvm-a", Action = action, Reason = $"stalled ({action})", MaxDowntimeMs = 300,
        Iteration = iteration, DataRemainingBytes = 60 << 20, At = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task A_failed_cut_over_moves_the_vm_back_before_rolling_back()
    {
        await _h.AdvanceTo(m => m.CuttingOver);

        await _h.Publish(_h.Failure<CutOver>("kvm-b"));
        await _h.InState(m => m.MigratingBack);
        Assert.Equal("qemu+tcp://a/system", (await _h.Sent<MigrateBack>()).SourceMigrationUri);
        await _h.Publish(new MigratedBack { MigrationId = _h.Id, Host = "kvm-b" });

        await _h.InState(m => m.RollingBack);
    }

    [Fact]
    public async Task A_failed_move_back_needs_an_operator()
    {
        await _h.AdvanceTo(m => m.CuttingOver);
        await _h.Publish(_h.Failure<CutOver>("kvm-b"));
        await _h.InState(m => m.MigratingBack);

        await _h.Publish(_h.Failure<MigrateBack>("kvm-b"));

        await _h.InState(m => m.NeedsAttention);
        Assert.True((await _h.Published<MigrationFailed>()).NeedsAttention);
    }

    [Fact]
    public async Task A_failed_clean_up_still_completes_with_a_warning()
    {
        await _h.AdvanceTo(m => m.CleaningUp);

        await _h.Publish(_h.Failure<CleanUpSource>("kvm-a"));
        await _h.Publish(new DestinationCleanedUp { MigrationId = _h.Id, Host = "kvm-b", Persistent = false });

        await _h.InState(m => m.Completed);
        Assert.Contains("CleanUpSource failed", (await _h.Published<MigrationCompleted>()).Warning);
    }

    [Fact]
    public async Task Cancelling_a_queued_migration_ends_Cancelled_without_any_command()
    {
        await _h.AdvanceTo(m => m.Queued);

        await _h.Publish(new CancelMigration { MigrationId = _h.Id });

        await _h.InState(m => m.Cancelled);
        Assert.True((await _h.Published<MigrationRolledBack>()).Cancelled);
        Assert.Equal(0, _h.SentCount<ValidateSource>());
    }

    [Fact]
    public async Task Cancelling_during_the_transfer_aborts_it_and_ends_Cancelled()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(new CancelMigration { MigrationId = _h.Id });
        await _h.Sent<AbortTransfer>();
        await _h.Publish(_h.Failure<TransferMemory>("kvm-a", AgentFailureCode.Aborted));
        await _h.InState(m => m.RollingBack);
        await _h.Publish(new DomainUndefined { MigrationId = _h.Id, Host = "kvm-b" });
        await _h.Publish(new DomainResumed { MigrationId = _h.Id, Host = "kvm-a", State = "running" });

        await _h.InState(m => m.Cancelled);
    }

    [Fact]
    public async Task Cancelling_after_the_cut_over_is_refused()
    {
        await _h.AdvanceTo(m => m.CleaningUp);

        await _h.Publish(new CancelMigration { MigrationId = _h.Id });

        Assert.Contains("already runs on the destination", (await _h.Published<CancellationRefused>()).Reason);
        await _h.InState(m => m.CleaningUp);
    }

    [Fact]
    public async Task An_overdue_step_is_sent_again_once_then_the_facts_decide()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = _h.Current!.StepDeadline!.Value });
        await Until(() => _h.SentCount<TransferMemory>() == 2);
        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = _h.Current!.StepDeadline!.Value });
        await _h.InState(m => m.Reconciling);
        await Until(() => _h.SentCount<QueryDomain>() == 2);
        await _h.Publish(new DomainFacts { MigrationId = _h.Id, Host = "kvm-a", DomainName = "web01", Exists = true, State = "shutoff", Persistent = true, TransferInProgress = false });
        await _h.Publish(new DomainFacts { MigrationId = _h.Id, Host = "kvm-b", DomainName = "web01", Exists = true, State = "running", Persistent = true, TransferInProgress = false });

        await _h.InState(m => m.CleaningUp);
    }

    [Fact]
    public async Task A_stale_overdue_notice_changes_nothing()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = DateTime.UnixEpoch });
        await _h.Publish(new CutOverCompleted { MigrationId = _h.Id, Host = "kvm-b", State = "running" });   // late and out of place: ignored too

        await Until(() => _h.Harness.Consumed.Select<CutOverCompleted>().Any());
        await _h.InState(m => m.TransferringMemory);
        Assert.Equal(1, _h.SentCount<TransferMemory>());
    }

    private MemoryTransferProgressed Progress(long processed, long remaining) => new()
    {
        MigrationId = _h.Id, Host = "kvm-a", DataProcessedBytes = processed, DataRemainingBytes = remaining, DataTotalBytes = processed + remaining,
        DirtyRateBytesPerSecond = 1, BandwidthBytesPerSecond = 10, Iteration = processed > 60 ? 2 : 1, ElapsedMs = 100, At = DateTimeOffset.UtcNow,
    };

    private static Task Until(Func<bool> condition) => TestSupport.Eventually.True(condition, TimeSpan.FromSeconds(10), "the saga to catch up");
}
