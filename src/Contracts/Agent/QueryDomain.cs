namespace Drover.Contracts.Agent;

/// <summary>To any host: report what libvirt knows of the domain, so the coordinator can decide from facts.</summary>
public sealed record QueryDomain
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }
}
