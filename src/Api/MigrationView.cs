using Drover.Contracts;

namespace Drover.Api;

/// <summary>A migration as the API, the CLI and the dashboard show it.</summary>
public sealed record MigrationView
{
    public required Guid Id { get; init; }
    public required string Vm { get; init; }
    public required string SourceHost { get; init; }
    public string? DestinationHost { get; init; }
    public required MigrationKind Kind { get; init; }
    public required string State { get; init; }
    public required bool Persistent { get; init; }
    public required bool UndefineSource { get; init; }
    public required double PercentComplete { get; init; }
    public required long DataProcessedBytes { get; init; }
    public required long DataRemainingBytes { get; init; }
    public required long DataTotalBytes { get; init; }
    public required long DirtyRateBytesPerSecond { get; init; }
    public required long BandwidthBytesPerSecond { get; init; }
    public required int Iteration { get; init; }
    public double? EtaSeconds { get; init; }
    public long? DowntimeMs { get; init; }
    public long? TransferDurationMs { get; init; }
    public long? TotalDurationMs { get; init; }
    public required IReadOnlyDictionary<string, long> StepDurationsMs { get; init; }
    public string? Reason { get; init; }
    public string? QueueReason { get; init; }
    public string? PlacementReason { get; init; }
    public string? Warning { get; init; }
    /// <summary>What the source agent did because the transfer did not converge, oldest first.</summary>
    public required IReadOnlyList<Escalation> Escalations { get; init; }
    /// <summary>The attempt under way (or the last one), and how many an infrastructure fault may cost.</summary>
    public required int Attempt { get; init; }
    public required int MaxAttempts { get; init; }
    /// <summary>Every finished attempt with its outcome and reason, oldest first.</summary>
    public required IReadOnlyList<AttemptRecord> Attempts { get; init; }
    /// <summary>What the saga concluded from both hosts' facts, when it had to ask.</summary>
    public string? FactsVerdict { get; init; }
    /// <summary>Agent events it did not act on (another step or attempt, after the end), the latest last.</summary>
    public required IReadOnlyList<IgnoredEvent> IgnoredEvents { get; init; }
    public required DateTime CreatedAt { get; init; }

    /// <summary>What was asked: the request as it reached the coordinator.</summary>
    public required StartMigrationRequest Request { get; init; }

    /// <summary>Who asked: the identity of the API key, or what the service that published MigrateVm on the bus said.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Every state the migration entered, with its time.</summary>
    public required IReadOnlyList<StateChange> Timeline { get; init; }
    public DateTime? CompletedAt { get; init; }

    public bool IsFinal => MigrationStatuses.IsFinal(State);
}
