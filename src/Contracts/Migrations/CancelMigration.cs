namespace Drover.Contracts.Migrations;

/// <summary>Stop a migration: before the memory transfer it is undone; during it the transfer is aborted and undone; after the cut-over it is too late.</summary>
public sealed record CancelMigration
{
    /// <summary>The migration to cancel.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>Why, for the record.</summary>
    public string? Reason { get; init; }
}
