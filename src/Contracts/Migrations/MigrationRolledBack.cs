namespace Drover.Contracts.Migrations;

/// <summary>A step failed (or the migration was cancelled) and everything was undone: the VM runs on the source as before.</summary>
public sealed record MigrationRolledBack
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The VM.</summary>
    public required string Vm { get; init; }

    /// <summary>The host the VM still runs on.</summary>
    public required string SourceHost { get; init; }

    /// <summary>What failed, or that it was cancelled.</summary>
    public required string Reason { get; init; }

    /// <summary>Whether an operator cancelled it.</summary>
    public required bool Cancelled { get; init; }
}
