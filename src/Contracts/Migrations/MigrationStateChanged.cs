namespace Drover.Contracts.Migrations;

/// <summary>A migration entered a new state. Published on every transition, so a migration's history is the sequence of these.</summary>
public sealed record MigrationStateChanged
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The VM.</summary>
    public required string Vm { get; init; }

    /// <summary>The source host.</summary>
    public required string SourceHost { get; init; }

    /// <summary>The destination host, once known.</summary>
    public string? DestinationHost { get; init; }

    /// <summary>The state left.</summary>
    public required string PreviousState { get; init; }

    /// <summary>The state entered.</summary>
    public required string State { get; init; }

    /// <summary>Why, for failure states.</summary>
    public string? Reason { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }
}
