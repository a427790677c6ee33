namespace Drover.Contracts.Migrations;

/// <summary>The VM runs on the destination and both hosts are cleaned up.</summary>
public sealed record MigrationCompleted
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The VM.</summary>
    public required string Vm { get; init; }

    /// <summary>Where it was.</summary>
    public required string SourceHost { get; init; }

    /// <summary>Where it is now.</summary>
    public required string DestinationHost { get; init; }

    /// <summary>How long the guest was paused at the switch, in milliseconds.</summary>
    public required long DowntimeMs { get; init; }

    /// <summary>From request to completion, in milliseconds.</summary>
    public required long DurationMs { get; init; }

    /// <summary>A clean-up that did not succeed (the move did), or null.</summary>
    public string? Warning { get; init; }
}
