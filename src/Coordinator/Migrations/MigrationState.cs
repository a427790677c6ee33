using Drover.Coordinator.Persistence;
using Drover.Api;
using Drover.Contracts.Agent;
using Drover.Contracts;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>One migration's saga row: the request, what the agents reported, progress, deadlines and timings.</summary>
public sealed class MigrationState : SagaStateMachineInstance, ISagaVersion, ICommitHooks
{
    private List<Action>? _afterCommit;   // a field: never mapped, never saved

    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    public void Committed()
    {
        var actions = _afterCommit;
        _afterCommit = null;
        actions?.ForEach(a => a());
    }

    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    /// <summary>Optimistic concurrency: checked in every UPDATE, incremented by the repository.</summary>
    public int Version { get; set; }

    // The request
    public string Vm { get; set; } = "";
    public string SourceHost { get; set; } = "";
    public string? DestinationHost { get; set; }
    public MigrationKind Kind { get; set; }
    public bool Persistent { get; set; }
    public bool UndefineSource { get; set; }
    public long? BandwidthMiBps { get; set; }
    public long? MaxDowntimeMs { get; set; }
    public bool AutoConverge { get; set; }
    public bool PostCopyAllowed { get; set; }
    public bool FallBackToNonLiveAllowed { get; set; }
    public bool CopyStorage { get; set; }
    public int Priority { get; set; }
    public string? RequestedBy { get; set; }

    /// <summary>The destination the request named; null when placement chooses (a retry may then choose another).</summary>
    public string? RequestedDestination { get; set; }

    /// <summary>How many attempts an infrastructure fault may cost before the migration ends RolledBack.</summary>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>The W3C traceparent of the request, so that work started by the coordinator itself joins its trace.</summary>
    public string? TraceParent { get; set; }

    // Admission and placement
    public string? SourceMigrationUri { get; set; }
    public string? DestinationMigrationUri { get; set; }
    public string? PlacementReason { get; set; }

    /// <summary>Admission's decision, written before its message is sent: the destination and when. While the saga is still
    /// Queued, every coordinator's admission counts it as running, and sends it again when the saga has not moved on.</summary>
    public string? AdmittedTo { get; set; }

    public DateTime? AdmittedAt { get; set; }
    public string? QueueReason { get; set; }

    // What the source reported
    public string? DomainName { get; set; }
    public Guid? DomainUuid { get; set; }
    public bool WasActive { get; set; }
    public bool WasRunning { get; set; }

    /// <summary>Whether the source started the VM at boot; the destination's kept definition gets the same setting.</summary>
    public bool Autostart { get; set; }
    public string? MigratableXml { get; set; }
    public long MemoryKiB { get; set; }
    public int VCpus { get; set; }
    public long SourceLibvirtVersion { get; set; }
    public long SourceHypervisorVersion { get; set; }
    /// <summary>The probes the source wrote beside the disks that must be shared (removed when the migration ends).</summary>
    public List<DiskProbe> Probes { get; set; } = [];
    /// <summary>With storage copy: the images the destination creates for the disks to be copied into (after an offline
    /// copy, with the digests of what the source streamed).</summary>
    public List<DiskImage> CopiedDisks { get; set; } = [];

    /// <summary>Whether the destination had its own definition of the VM, which the migration replaced: the destination keeps
    /// it (it has secrets, so it never comes here) and a rollback restores it.</summary>
    public bool DestinationKeptDefinition { get; set; }

    /// <summary>The convergence steps the source agent took, oldest first.</summary>
    public List<Escalation> Escalations { get; set; } = [];

    // Attempts: a migration rolled back by an infrastructure fault is attempted again
    /// <summary>The attempt under way, from 1.</summary>
    public int Attempt { get; set; } = 1;

    public DateTime? AttemptStartedAt { get; set; }

    /// <summary>When a queued retry may be admitted (its backoff).</summary>
    public DateTime? RetryAt { get; set; }

    /// <summary>Every finished attempt with its outcome and reason, oldest first.</summary>
    public List<AttemptRecord> Attempts { get; set; } = [];

    /// <summary>Destinations an earlier attempt failed on; placement avoids them when it has a choice.</summary>
    public List<string> FailedDestinations { get; set; } = [];

    /// <summary>The agent's code for the failure that started the compensation, if an agent reported one.</summary>
    public Contracts.Agent.AgentFailureCode? FailureCode { get; set; }

    /// <summary>Whether the failure came from the infrastructure (a host, libvirtd or agent not answering), so another attempt may succeed.</summary>
    public bool FailureIsTransient { get; set; }

    // Step bookkeeping
    /// <summary>Counts the steps started; commands carry it in their ticket and only answers with the current one are acted on.</summary>
    public int StepSequence { get; set; }

    /// <summary>The sequence of the memory transfer's step: its progress and outcome carry it.</summary>
    public int TransferSequence { get; set; }

    public DateTime? StepStartedAt { get; set; }
    public DateTime? StepDeadline { get; set; }

    /// <summary>How often the current step's commands were sent again (lost answers, unreachable hosts).</summary>
    public int StepResends { get; set; }

    public bool SourceDone { get; set; }
    public bool DestinationDone { get; set; }

    // Facts from both hosts, collected in Reconciling
    public string? SourceFacts { get; set; }
    public string? DestinationFacts { get; set; }
    public bool SourceTransferInProgress { get; set; }
    public Guid? DestinationMark { get; set; }

    /// <summary>The step whose failure or silence sent the saga to ask for the facts.</summary>
    public string? ReconcileAfter { get; set; }

    /// <summary>Whether the facts query asks the source to abort a transfer still running (it stalled).</summary>
    public bool AbortOnReconcile { get; set; }

    /// <summary>What the saga concluded from the facts, for the record.</summary>
    public string? FactsVerdict { get; set; }

    /// <summary>Events that arrived for another step or attempt, or after the end, and were not acted on (the last few).</summary>
    public List<IgnoredEvent> IgnoredEvents { get; set; } = [];

    /// <summary>Every state the migration entered, with its time: its history, kept in its own row.</summary>
    public List<StateChange> Timeline { get; set; } = [];
    public DateTime StateEnteredAt { get; set; }
    public DateTime? LastByteProgressAt { get; set; }
    /// <summary>Milliseconds spent in each state, by state.</summary>
    public Dictionary<string, long> StepDurations { get; set; } = [];
    public bool CancelRequested { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>The request field a rejection named, kept so that the rejection can be told again.</summary>
    public string? RejectedField { get; set; }
    public string? Warning { get; set; }

    // Progress of the memory transfer
    public long DataProcessedBytes { get; set; }
    public long DataRemainingBytes { get; set; }
    public long DataTotalBytes { get; set; }
    public long DirtyRateBytesPerSecond { get; set; }
    public long BandwidthBytesPerSecond { get; set; }
    public int Iteration { get; set; }
    public double PercentComplete { get; set; }
    public double? EtaSeconds { get; set; }

    // Outcome
    public long? DowntimeMs { get; set; }
    public long? TransferDurationMs { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}
