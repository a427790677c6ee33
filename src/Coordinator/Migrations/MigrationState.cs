using Drover.Contracts;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>One migration's saga row: the request, what the agents reported, progress, deadlines and timings.</summary>
public sealed class MigrationState : SagaStateMachineInstance, ISagaVersion
{
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

    /// <summary>The W3C traceparent of the request, so that work started by the coordinator itself joins its trace.</summary>
    public string? TraceParent { get; set; }

    // Admission and placement
    public string? SourceMigrationUri { get; set; }
    public string? DestinationMigrationUri { get; set; }
    public string? PlacementReason { get; set; }
    public string? QueueReason { get; set; }

    // What the source reported
    public string? DomainName { get; set; }
    public Guid? DomainUuid { get; set; }
    public bool WasActive { get; set; }
    public bool WasRunning { get; set; }
    public string? MigratableXml { get; set; }
    public long MemoryKiB { get; set; }
    public int VCpus { get; set; }
    public long SourceLibvirtVersion { get; set; }
    public long SourceHypervisorVersion { get; set; }
    public string ProbesJson { get; set; } = "[]";

    /// <summary>The destination's own definition of the VM before the migration replaced it (restored on rollback).</summary>
    public string? DestinationPreviousXml { get; set; }

    /// <summary>The convergence steps the source agent took, oldest first (JSON list of <see cref="Escalation"/>).</summary>
    public string EscalationsJson { get; set; } = "[]";

    // Step bookkeeping
    public bool SourceDone { get; set; }
    public bool DestinationDone { get; set; }
    public string? SourceFacts { get; set; }
    public string? DestinationFacts { get; set; }
    public bool SourceTransferInProgress { get; set; }
    public DateTime? StepDeadline { get; set; }
    public int StepAttempts { get; set; }
    public DateTime StateEnteredAt { get; set; }
    public string StepDurationsJson { get; set; } = "{}";
    public bool CancelRequested { get; set; }
    public string? FailureReason { get; set; }
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
