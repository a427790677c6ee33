namespace Drover.Contracts.Migrations;

/// <summary>A cancellation came too late (after the cut-over), for a finished migration, or for one no coordinator knows.</summary>
public sealed record CancellationRefused
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>Why it was not cancelled.</summary>
    public required string Reason { get; init; }
}
