namespace Drover.Contracts.Agent;

/// <summary>What one host's libvirt says of a domain.</summary>
public sealed record DomainFacts : IStepEvent
{
    /// <summary>The migration that asked.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The host.</summary>
    public required string Host { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>Whether the host knows the domain at all.</summary>
    public required bool Exists { get; init; }

    /// <summary>Its state (<c>running</c>, <c>paused</c>, <c>shutoff</c>, ... on the wire); null when the host does not know it.</summary>
    public required DomainRunState? State { get; init; }

    /// <summary>Whether it is defined persistently.</summary>
    public required bool Persistent { get; init; }

    /// <summary>Whether this agent is running a migration job for it now.</summary>
    public required bool TransferInProgress { get; init; }

    /// <summary>The migration whose mark the host's persistent definition of the domain carries (Drover marks what it defines on a destination), if any.</summary>
    public Guid? MigrationMark { get; init; }
}
