namespace Drover.Contracts.Migrations;

/// <summary>The migration could not complete and its compensation did not finish either: the saga stops in NeedsAttention
/// with what is known of where the VM is, and an operator decides. (A failure that was undone ends in <see cref="MigrationRolledBack"/>.)</summary>
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
