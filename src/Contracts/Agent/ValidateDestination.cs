namespace Drover.Contracts.Agent;

/// <summary>To the destination host: prove shared storage by reading the source's probes, and check memory, vCPUs, CPU,
/// name/UUID conflicts and versions — a pre-flight's question. A migration asks the same with its <see cref="DefineDomain"/>
/// (<see cref="DefineDomain.Requirements"/>).</summary>
public sealed record ValidateDestination : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The domain's UUID.</summary>
    public required Guid DomainUuid { get; init; }

    /// <summary>The domain's migratable XML (its CPU definition is compared with the host's).</summary>
    public required string MigratableXml { get; init; }

    /// <summary>What the destination checks.</summary>
    public required DestinationRequirements Requirements { get; init; }
}
