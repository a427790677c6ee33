namespace Drover.Contracts.Agent;

/// <summary>To the destination host: resume the domain if it arrived paused and confirm it runs there.</summary>
public sealed record CutOver
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The kind; an offline migration's domain stays shut off.</summary>
    public required MigrationKind Kind { get; init; }
}
