using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Migrations;

namespace Drover.Coordinator.Tests.Saga;

/// <summary>Every transition and compensation of the migration saga, on the in-memory harness.</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
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
    public async Task A_destination_whose_checks_refuse_the_domain_before_defining_it_rejects_the_migration_and_removes_the_probes()
    {
        await _h.AdvanceTo(m => m.ValidatingStorage);
        await _h.Publish(new SourceValidated
        {
            MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", DomainName = "web01", DomainUuid = Guid.NewGuid(), WasActive = true, WasRunning = true, MigratableXml = "<domain/>",
            MemoryKiB = 1, VCpus = 1, Probes = [new DiskProbe { DiskPath = "/s/d", ProbePath = "/s/.drover-probe-x-0", Token = "t" }], LocalDisks = [],
            LibvirtVersion = 1, HypervisorVersion = 1,
        });
        await _h.InState(m => m.DefiningDomain);
        var define = await _h.Sent<DefineDomain>();
        Assert.Equal(("/s/.drover-probe-x-0", 1L), (Assert.Single(define.Requirements!.Probes).ProbePath, define.Requirements.MemoryKiB));

        await _h.Publish(_h.Failure<ValidateDestination>("kvm-b", AgentFailureCode.StorageNotShared));

        await _h.InState(m => m.Rejected);
        Assert.Equal(["/s/.drover-probe-x-0"], (await _h.Sent<CleanUpSource>()).ProbePaths);
        Assert.Equal(0, _h.SentCount<UndefineDomain>());   // nothing was defined: nothing to roll back
    }

    [Fact]
    public async Task A_source_whose_libvirtd_is_away_during_validation_queues_another_attempt_instead_of_rejecting()
    {
        await _h.AdvanceTo(m => m.ValidatingStorage, maxAttempts: 2);
        await _h.Sent<ValidateSource>();

        await _h.Publish(_h.Failure<ValidateSource>("kvm-a", AgentFailureCode.HypervisorUnavailable));

        await _h.InState(m => m.Queued);
        Assert.Equal(2, _h.Current!.Attempt);
        Assert.Equal(0, _h.SentCount<DefineDomain>());
    }

    [Fact]
    public async Task A_refusal_of_the_checks_after_the_definition_was_sent_again_rolls_back_what_an_earlier_sending_may_have_defined()
    {
        await _h.AdvanceTo(m => m.DefiningDomain, maxAttempts: 1);
        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = _h.Current!.StepDeadline!.Value });
        await Until(() => _h.SentCount<DefineDomain>() == 2);

        await _h.Publish(_h.Failure<ValidateDestination>("kvm-b", AgentFailureCode.InsufficientResources));

        await _h.InState(m => m.RollingBack);
        Assert.Equal(1, _h.SentCount<UndefineDomain>());
    }

    [Fact]
    public async Task A_destination_that_fails_to_define_after_its_checks_rolls_the_migration_back()
    {
        await _h.AdvanceTo(m => m.DefiningDomain, maxAttempts: 1);

        await _h.Publish(_h.Failure<DefineDomain>("kvm-b", AgentFailureCode.HypervisorError));

        await _h.InState(m => m.RollingBack);
        Assert.Equal(1, _h.SentCount<UndefineDomain>());   // a definition may exist: it is undone, not left behind
    }

    [Fact]
    public async Task The_happy_path_cleans_both_hosts_and_completes_with_the_measured_downtime()
    {
        await _h.AdvanceTo(m => m.CleaningUp);
        Assert.False((await _h.Sent<CutOver>()).Persistent);   // the destination's final shape comes with the cut-over: transient
        Assert.Equal(1, _h.SentCount<CleanUpSource>());

        await _h.Publish(new SourceCleanedUp { MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", StillDefined = true });

        await _h.InState(m => m.Completed);
        var completed = await _h.Published<MigrationCompleted>();
        Assert.Equal(42, completed.DowntimeMs);
        Assert.Null(completed.Warning);
    }

    [Fact]
    public async Task A_migration_a_fleet_job_started_tells_the_job_its_outcome_with_the_outcome_event()
    {
        var job = Guid.NewGuid();
        _h.RequestedBy = Drover.Coordinator.Rebalancing.RebalanceMoves.Tag(job);
        await _h.AdvanceTo(m => m.CleaningUp);
        Assert.Empty(_h.Harness.Published.Select<Drover.Coordinator.Rebalancing.RebalanceMoveFinished>());   // not before the end

        await _h.Publish(new SourceCleanedUp { MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", StillDefined = true });

        await _h.InState(m => m.Completed);
        var finished = await _h.Published<Drover.Coordinator.Rebalancing.RebalanceMoveFinished>();
        Assert.Equal((job, true, "completed"), (finished.RebalanceId, finished.Succeeded, finished.Outcome));
    }

    [Fact]
    public async Task A_rejected_migration_of_a_fleet_job_tells_the_job_why_and_one_of_nobody_s_tells_no_job()
    {
        var job = Guid.NewGuid();
        _h.RequestedBy = Drover.Coordinator.Rebalancing.RebalanceMoves.Tag(job);
        await _h.AdvanceTo(m => m.ValidatingStorage);

        await _h.Publish(_h.Failure<ValidateSource>("kvm-a", AgentFailureCode.StorageNotShared));

        await _h.InState(m => m.Rejected);
        var finished = await _h.Published<Drover.Coordinator.Rebalancing.RebalanceMoveFinished>();
        Assert.Equal((job, false), (finished.RebalanceId, finished.Succeeded));
        Assert.StartsWith("rejected: ", finished.Outcome);

        await using var other = await SagaHarness.Start();   // RequestedBy not a job's
        await other.AdvanceTo(m => m.ValidatingStorage);
        await other.Publish(other.Failure<ValidateSource>("kvm-a", AgentFailureCode.StorageNotShared));
        await other.InState(m => m.Rejected);
        await other.Published<MigrationRejected>();
        Assert.Empty(other.Harness.Published.Select<Drover.Coordinator.Rebalancing.RebalanceMoveFinished>());
    }

    [Fact]
    public async Task A_cut_over_that_could_not_give_the_destination_its_final_shape_completes_with_its_warning()
    {
        await _h.AdvanceTo(m => m.CuttingOver);

        await _h.Publish(new CutOverCompleted
        {
            MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-b", State = DomainRunState.Running, Persistent = true,
            CleanUpWarning = "'web01' runs on kvm-b but its definition could not be dropped: busy",
        });
        await _h.InState(m => m.CleaningUp);
        await _h.Publish(new SourceCleanedUp { MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", StillDefined = true });

        await _h.InState(m => m.Completed);
        Assert.Contains("could not be dropped", (await _h.Published<MigrationCompleted>()).Warning);
        Assert.Equal(0, _h.SentCount<ResumeDomain>());   // the move stands
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
        await _h.Sent<UndefineDomain>();
        await _h.AnswerRollback();

        await _h.InState(m => m.RolledBack);
        Assert.Equal(0, _h.SentCount<TransferMemory>());
        Assert.Contains("kvm-b", (await _h.Published<MigrationRolledBack>()).Reason);
    }

    [Fact]
    public async Task A_failed_transfer_asks_both_hosts_and_rolls_back_when_the_vm_is_still_on_the_source()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(_h.Failure<TransferMemory>("kvm-a"));
        await _h.InState(m => m.Reconciling);
        await Until(() => _h.SentCount<QueryDomain>() == 2);
        await _h.Publish(_h.Facts("kvm-a", "running"));
        await _h.Publish(_h.Facts("kvm-b", "shutoff", marked: true));
        await _h.Sent<UndefineDomain>();
        await _h.Sent<ResumeDomain>();
        await _h.AnswerRollback();

        await _h.InState(m => m.RolledBack);
        Assert.False((await _h.Published<MigrationRolledBack>()).Cancelled);
        Assert.Equal(nameof(Verdict.OnSource), _h.Current!.FactsVerdict);
    }

    [Fact]
    public async Task A_transfer_reported_failed_after_the_vm_moved_carries_on_to_completion()
    {
        // The broker redelivered TransferMemory after the move: the transient source is gone, the step "fails".
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(_h.Failure<TransferMemory>("kvm-a", AgentFailureCode.DomainNotFound));
        await _h.InState(m => m.Reconciling);
        await _h.Publish(_h.Facts("kvm-a", "absent"));
        await _h.Publish(_h.Facts("kvm-b", "running", marked: true));

        await _h.InState(m => m.CuttingOver);
        Assert.Equal(0, _h.SentCount<ResumeDomain>());
        Assert.Equal(0, _h.SentCount<UndefineDomain>());
    }

    [Fact]
    public async Task A_vm_running_on_both_hosts_or_on_a_destination_without_the_mark_needs_an_operator()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(_h.Failure<TransferMemory>("kvm-a"));
        await _h.InState(m => m.Reconciling);
        await _h.Publish(_h.Facts("kvm-a", "shutoff"));
        await _h.Publish(_h.Facts("kvm-b", "running", marked: false));

        await _h.InState(m => m.NeedsAttention);
        Assert.Contains("without this migration's mark", (await _h.Published<MigrationFailed>()).Reason);
        Assert.Equal(0, _h.SentCount<ResumeDomain>());
    }

    [Fact]
    public async Task Convergence_escalations_are_recorded_and_one_that_gives_up_rolls_back_with_its_reason()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(Escalated(ConvergenceAction.RaiseMaxDowntime, iteration: 5));
        await _h.Publish(Escalated(ConvergenceAction.Abort, iteration: 8));
        await Until(() => _h.Current!.Escalations.Any(e => e.Action == "Abort"));
        await _h.Publish(_h.Failure<TransferMemory>("kvm-a", AgentFailureCode.DidNotConverge));
        await _h.InState(m => m.Reconciling);
        await _h.Publish(_h.Facts("kvm-a", "running"));
        await _h.Publish(_h.Facts("kvm-b", "shutoff", marked: true));
        await _h.InState(m => m.RollingBack);
        Assert.True((await _h.Sent<ResumeDomain>()).WasRunning);

        var view = _h.Current!.ToView();
        Assert.Equal(["RaiseMaxDowntime", "Abort"], view.Escalations.Select(e => e.Action));
        Assert.Equal([5, 8], view.Escalations.Select(e => e.Iteration));
        Assert.False(_h.Current!.FailureIsTransient);   // the same guest would not converge on a second attempt either
    }

    private MigrationEscalated Escalated(ConvergenceAction action, int iteration) => new()
    {
        MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", Action = action, Reason = $"stalled ({action})", MaxDowntimeMs = 300,
        Iteration = iteration, DataRemainingBytes = 60 << 20, At = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task A_cut_over_that_cannot_resume_the_vm_on_the_destination_leaves_it_there_for_an_operator()
    {
        await _h.AdvanceTo(m => m.CuttingOver);

        await _h.Publish(_h.Failure<CutOver>("kvm-b", AgentFailureCode.WrongDomainState));
        await _h.InState(m => m.Reconciling);
        await _h.Publish(_h.Facts("kvm-a", "shutoff"));
        await _h.Publish(_h.Facts("kvm-b", "paused", marked: true));

        await _h.InState(m => m.NeedsAttention);
        Assert.Equal(0, _h.SentCount<MigrateBack>());   // QEMU cannot move back a domain that never ran since it arrived
        Assert.Equal(0, _h.SentCount<ResumeDomain>());
    }

    [Fact]
    public async Task A_failed_clean_up_still_completes_with_a_warning()
    {
        await _h.AdvanceTo(m => m.CleaningUp);

        await _h.Publish(_h.Failure<CleanUpSource>("kvm-a"));

        await _h.InState(m => m.Completed);
        Assert.Contains("CleanUpSource failed", (await _h.Published<MigrationCompleted>()).Warning);
    }

    [Fact]
    public async Task A_clean_up_host_that_cannot_be_reached_is_asked_again_after_a_backoff()
    {
        await _h.AdvanceTo(m => m.CleaningUp);
        var before = _h.Current!.StepDeadline;

        await _h.Publish(_h.Failure<CleanUpSource>("kvm-a", AgentFailureCode.HypervisorUnavailable));
        await Until(() => _h.Current!.StepDeadline != before);
        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = _h.Current!.StepDeadline!.Value });

        await Until(() => _h.SentCount<CleanUpSource>() == 2);
        await _h.InState(m => m.CleaningUp);
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
        await _h.AdvanceTo(m => m.TransferringMemory, maxAttempts: 3);

        await _h.Publish(new CancelMigration { MigrationId = _h.Id });
        await _h.Sent<AbortTransfer>();
        await _h.Publish(_h.Failure<TransferMemory>("kvm-a", AgentFailureCode.Aborted));
        await _h.InState(m => m.Reconciling);
        await _h.Publish(_h.Facts("kvm-a", "running"));
        await _h.Publish(_h.Facts("kvm-b", "shutoff", marked: true));
        await _h.AnswerRollback();

        await _h.InState(m => m.Cancelled);
        Assert.Equal(1, _h.Current!.Attempt);
    }

    [Fact]
    public async Task A_cancel_that_comes_as_the_transfer_finishes_lets_it_complete()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);
        await _h.Publish(new CancelMigration { MigrationId = _h.Id });
        await _h.Sent<AbortTransfer>();

        // The job ended before the abort reached it: the abort fails, the transfer succeeds.
        await _h.Publish(_h.Failure<AbortTransfer>("kvm-a", AgentFailureCode.DomainNotFound));
        await _h.Publish(new MemoryTransferred { MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", DowntimeMs = 40, DataTransferredBytes = 1, Iterations = 2, DurationMs = 800, SourceStillActive = false });

        await _h.InState(m => m.CuttingOver);
        Assert.Equal(0, _h.SentCount<ResumeDomain>());
        Assert.Equal(0, _h.SentCount<MigrateBack>());
    }

    [Fact]
    public async Task Cancelling_after_the_cut_over_is_refused()
    {
        await _h.AdvanceTo(m => m.CleaningUp);

        await _h.Publish(new CancelMigration { MigrationId = _h.Id });

        Assert.Contains("already run on the destination", (await _h.Published<CancellationRefused>()).Reason);
        await _h.InState(m => m.CleaningUp);
    }

    [Fact]
    public async Task Cancelling_a_migration_nobody_knows_is_refused_with_a_reason_and_starts_nothing()
    {
        await _h.Publish(new CancelMigration { MigrationId = _h.Id });

        Assert.Contains($"No migration {_h.Id}", (await _h.Published<CancellationRefused>()).Reason);
        Assert.Null(_h.Current);
    }

    [Fact]
    public async Task A_silent_transfer_is_aborted_and_the_facts_decide()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = _h.Current!.StepDeadline!.Value });
        await _h.InState(m => m.Reconciling);
        await Until(() => _h.SentCount<QueryDomain>() == 2);
        var queries = _h.Harness.Sent.Select<QueryDomain>().Select(x => x.Context.Message).ToList();
        Assert.Single(queries, q => q.AbortRunningTransfer);   // the source's: abort what still runs, then report
        await _h.Publish(_h.Facts("kvm-a", "shutoff"));
        await _h.Publish(_h.Facts("kvm-b", "running", marked: true));

        await _h.InState(m => m.CuttingOver);
        Assert.Equal(1, _h.SentCount<TransferMemory>());
    }

    [Fact]
    public async Task Facts_that_show_the_job_still_running_send_the_saga_back_to_wait_for_it()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);
        int transferTicket = _h.Ticket.Sequence;
        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = _h.Current!.StepDeadline!.Value });
        await _h.InState(m => m.Reconciling);

        await _h.Publish(_h.Facts("kvm-a", "running", transferInProgress: true));
        await _h.Publish(_h.Facts("kvm-b", "paused", marked: true));
        await _h.InState(m => m.TransferringMemory);
        Assert.Equal(transferTicket, _h.Ticket.Sequence);
        await _h.Publish(new MemoryTransferred { MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", DowntimeMs = 40, DataTransferredBytes = 1, Iterations = 2, DurationMs = 800, SourceStillActive = false });

        await _h.InState(m => m.CuttingOver);
    }

    [Fact]
    public async Task A_stale_overdue_notice_changes_nothing()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = DateTime.UnixEpoch });
        await _h.Publish(new CutOverCompleted { MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-b", State = DomainRunState.Running });   // out of place: ignored too

        await Until(() => _h.Harness.Consumed.Select<CutOverCompleted>().Any());
        await _h.InState(m => m.TransferringMemory);
        Assert.Equal(1, _h.SentCount<TransferMemory>());
    }

    [Fact]
    public async Task A_step_failure_of_an_earlier_step_is_recorded_and_never_acted_on()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);
        var stale = _h.Failure<DefineDomain>("kvm-b") with { Ticket = _h.Ticket with { Step = "DefiningDomain", Sequence = _h.Ticket.Sequence - 1 } };

        await _h.Publish(stale);

        await Until(() => _h.Current!.IgnoredEvents.Count == 1);
        await _h.InState(m => m.TransferringMemory);
        var ignored = _h.Current!.IgnoredEvents.Single();
        Assert.Equal("StepFailed", ignored.Event);
        Assert.Contains("DefiningDomain", ignored.Why);
        Assert.Equal(0, _h.SentCount<UndefineDomain>());
    }

    [Fact]
    public async Task An_answer_of_an_earlier_attempt_is_recorded_and_never_acted_on()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);
        var old = _h.Ticket with { Attempt = 0 };

        await _h.Publish(new MemoryTransferred { MigrationId = _h.Id, Ticket = old, Host = "kvm-a", DowntimeMs = 1, DataTransferredBytes = 1, Iterations = 1, DurationMs = 1, SourceStillActive = false });

        await Until(() => _h.Current!.IgnoredEvents.Count == 1);
        Assert.Contains("attempt 0", _h.Current!.IgnoredEvents.Single().Why);
        await _h.InState(m => m.TransferringMemory);
    }

    [Fact]
    public async Task An_infrastructure_fault_rolls_back_and_queues_another_attempt()
    {
        await _h.Publish(_h.Request(maxAttempts: 2) with { DestinationHost = null });
        await _h.InState(m => m.Queued);
        await _h.Admit();
        await _h.InState(m => m.ValidatingStorage);
        await _h.Publish(new SourceValidated
        {
            MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", DomainName = "web01", DomainUuid = Guid.NewGuid(), WasActive = true, WasRunning = true,
            MigratableXml = "<domain/>", MemoryKiB = 1, VCpus = 1, Probes = [], LocalDisks = [], LibvirtVersion = 1, HypervisorVersion = 1,
        });
        await _h.InState(m => m.DefiningDomain);
        await _h.Sent<DefineDomain>();

        await _h.Publish(_h.Failure<DefineDomain>("kvm-b", AgentFailureCode.HypervisorUnavailable));
        await _h.AnswerRollback();

        await _h.InState(m => m.Queued);
        var s = _h.Current!;
        Assert.Equal(2, s.Attempt);
        Assert.Equal(["kvm-b"], s.FailedDestinations);   // placement chose it: the next attempt avoids it if it can
        Assert.Null(s.DestinationHost);
        Assert.True(s.RetryAt > DateTime.UtcNow);
        var first = Assert.Single(s.Attempts);
        Assert.Equal(("RolledBack", "kvm-b"), (first.Outcome, first.DestinationHost));
        Assert.Contains("DefineDomain failed", first.Reason);
        Assert.Empty(_h.Harness.Published.Select<MigrationRolledBack>());   // not the end: no outcome yet
    }

    [Fact]
    public async Task A_rollback_without_attempts_left_ends_RolledBack()
    {
        await _h.AdvanceTo(m => m.DefiningDomain, maxAttempts: 1);

        await _h.Publish(_h.Failure<DefineDomain>("kvm-b", AgentFailureCode.HypervisorUnavailable));
        await _h.AnswerRollback();

        await _h.InState(m => m.RolledBack);
        Assert.Equal("RolledBack", Assert.Single(_h.Current!.Attempts).Outcome);
    }

    [Fact]
    public async Task A_compensation_host_that_cannot_be_reached_is_asked_again_until_it_answers()
    {
        await _h.AdvanceTo(m => m.DefiningDomain);
        await _h.Publish(_h.Failure<DefineDomain>("kvm-b"));
        await _h.InState(m => m.RollingBack);

        await _h.Publish(_h.Failure<UndefineDomain>("kvm-b", AgentFailureCode.HypervisorUnavailable));
        await Until(() => _h.Current!.StepDeadline < DateTime.UtcNow.AddSeconds(5));   // the backoff, not the step timeout
        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = _h.Current!.StepDeadline!.Value });
        await Until(() => _h.SentCount<UndefineDomain>() == 2);
        await _h.AnswerRollback();

        await _h.InState(m => m.RolledBack);
    }

    [Fact]
    public async Task A_compensation_libvirt_refuses_for_a_moment_is_asked_again_and_completes_the_rollback()
    {
        await RollBackFromDefining();

        await _h.Publish(_h.Failure<UndefineDomain>("kvm-b"));   // a hypervisor error: a disk lock still held, a job just ending
        await ResendAfterBackoff(sent: 2);
        await _h.AnswerRollback();

        await _h.InState(m => m.RolledBack);
    }

    [Fact]
    public async Task A_compensation_libvirt_keeps_refusing_stops_for_an_operator_after_the_retries()
    {
        await RollBackFromDefining();

        for (int sent = 2; sent <= 1 + new SagaOptions().CompensationRetries; sent++)
        {
            await _h.Publish(_h.Failure<UndefineDomain>("kvm-b"));
            await ResendAfterBackoff(sent);
        }
        await _h.Publish(_h.Failure<UndefineDomain>("kvm-b"));

        await _h.InState(m => m.NeedsAttention);
        Assert.Contains("Compensation failed on kvm-b", (await _h.Published<MigrationFailed>()).Reason);
    }

    [Fact]
    public async Task A_compensation_refused_for_a_reason_that_does_not_pass_stops_for_an_operator_at_once()
    {
        await RollBackFromDefining();

        await _h.Publish(_h.Failure<UndefineDomain>("kvm-b", AgentFailureCode.WrongDomainState));

        await _h.InState(m => m.NeedsAttention);
        Assert.Equal(1, _h.SentCount<UndefineDomain>());
    }

    private async Task RollBackFromDefining()
    {
        await _h.AdvanceTo(m => m.DefiningDomain);
        await _h.Publish(_h.Failure<DefineDomain>("kvm-b"));
        await _h.InState(m => m.RollingBack);
    }

    /// <summary>The failure set a backoff (not the step timeout); the sweeper's notice sends the compensation again.</summary>
    private async Task ResendAfterBackoff(int sent)
    {
        await Until(() => _h.Current!.StepDeadline < DateTime.UtcNow.AddSeconds(5));
        await _h.Publish(new StepOverdue { MigrationId = _h.Id, Deadline = _h.Current!.StepDeadline!.Value });
        await Until(() => _h.SentCount<UndefineDomain>() == sent);
    }

    [Fact]
    public async Task An_expired_command_is_recorded_and_the_deadline_decides()
    {
        await _h.AdvanceTo(m => m.TransferringMemory);

        await _h.Publish(new StepExpired { MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", Command = nameof(TransferMemory) });

        await Until(() => _h.Current!.IgnoredEvents.Count == 1);
        Assert.Contains("after its expiry", _h.Current!.IgnoredEvents.Single().Why);
        await _h.InState(m => m.TransferringMemory);
    }

    [Fact]
    public async Task Every_state_of_the_machine_has_its_typed_name()
    {
        var states = _h.Machine.States.Select(s => s.Name).Where(n => n is not ("Initial" or "Final")).Order();
        Assert.Equal(Enum.GetNames<MigrationStatus>().Order(), states);
    }

    private MemoryTransferProgressed Progress(long processed, long remaining) => new()
    {
        MigrationId = _h.Id, Ticket = _h.Ticket, Host = "kvm-a", DataProcessedBytes = processed, DataRemainingBytes = remaining, DataTotalBytes = processed + remaining,
        DirtyRateBytesPerSecond = 1, BandwidthBytesPerSecond = 10, Iteration = processed > 60 ? 2 : 1, ElapsedMs = 100, At = DateTimeOffset.UtcNow,
    };

    private static Task Until(Func<bool> condition) => TestSupport.Eventually.True(condition, TimeSpan.FromSeconds(10), "the saga to catch up");
}
