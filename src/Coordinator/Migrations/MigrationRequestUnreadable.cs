namespace Drover.Coordinator.Migrations;

/// <summary>From the saga endpoint's reader to the saga: a <c>MigrateVm</c> arrived whose body cannot be read, but whose id can.
/// It becomes a Rejected migration with the reason, so the sender gets a <c>MigrationRejected</c> like for any bad request.</summary>
public sealed record MigrationRequestUnreadable
{
    public required Guid MigrationId { get; init; }

    public string? Vm { get; init; }

    public string? SourceHost { get; init; }

    /// <summary>The field that could not be read, as the request spells it.</summary>
    public string? Field { get; init; }

    public required string Reason { get; init; }
}
