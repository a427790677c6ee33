namespace Drover.Coordinator.Migrations;

/// <summary>From the deadline sweeper: the saga's current step passed its deadline.</summary>
public sealed record StepOverdue
{
    public required Guid MigrationId { get; init; }

    /// <summary>The deadline the sweeper saw; a saga that moved on since ignores the message.</summary>
    public required DateTime Deadline { get; init; }
}
