namespace Drover.Contracts.Migrations;

/// <summary>The migration could not complete and could not be fully undone automatically (<see cref="NeedsAttention"/>), or failed before anything changed.</summary>
public sealed record MigrationFailed
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The VM.</summary>
    public required string Vm { get; init; }

    /// <summary>What went wrong and what is known of where the VM is.</summary>
    public required string Reason { get; init; }

    /// <summary>An operator must look: the automatic compensation did not finish.</summary>
    public required bool NeedsAttention { get; init; }
}
