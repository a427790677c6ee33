using Drover.Contracts;

namespace Drover.Api;

public enum MoveStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Skipped,
}

/// <summary>One move of a fleet job and how it went (its migration is <see cref="MigrationId"/>).</summary>
public sealed record RebalanceMove
{
    public required Guid MigrationId { get; init; }
    public required string Vm { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required MigrationKind Kind { get; init; }
    public required long MemoryKiB { get; init; }
    public required string Reason { get; init; }
    public MoveStatus Status { get; init; }
    public string? Outcome { get; init; }
}

/// <summary>A VM the plan had to leave where it is, and why.</summary>
public sealed record UnmovableVm(string Vm, string Host, string Reason);
