namespace Drover.Contracts.Migrations;

/// <summary>The request was refused before anything changed on any host.</summary>
public sealed record MigrationRejected
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The VM as requested.</summary>
    public required string Vm { get; init; }

    /// <summary>The request field at fault, when one is (e.g. <c>DestinationHost</c>).</summary>
    public string? Field { get; init; }

    /// <summary>Why, specifically.</summary>
    public required string Reason { get; init; }
}
