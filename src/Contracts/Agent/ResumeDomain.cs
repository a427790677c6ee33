namespace Drover.Contracts.Agent;

/// <summary>Compensation, to the source host: resume the domain if it is paused (a non-live migration that did not complete).</summary>
public sealed record ResumeDomain
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }
}
