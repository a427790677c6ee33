namespace Drover.Coordinator.Migrations;

/// <summary>From the admission controller to the saga: a slot is free and the hosts are resolved; start.</summary>
public sealed record AdmitMigration
{
    public required Guid MigrationId { get; init; }

    public required string DestinationHost { get; init; }

    public required string SourceMigrationUri { get; init; }

    public required string DestinationMigrationUri { get; init; }

    /// <summary>Why this destination, when placement chose it.</summary>
    public string? PlacementReason { get; init; }
}
