namespace Drover.Coordinator.Migrations;

/// <summary>From the admission controller to the saga: still waiting, and why (limits, memory).</summary>
public sealed record MigrationQueued
{
    public required Guid MigrationId { get; init; }

    public required string Reason { get; init; }
}
