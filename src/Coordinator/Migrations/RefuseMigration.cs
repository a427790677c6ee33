namespace Drover.Coordinator.Migrations;

/// <summary>From the admission controller to the saga: the request cannot run (unknown or down host, VM not there, already migrating...).</summary>
public sealed record RefuseMigration
{
    public required Guid MigrationId { get; init; }

    public string? Field { get; init; }

    public required string Reason { get; init; }
}
