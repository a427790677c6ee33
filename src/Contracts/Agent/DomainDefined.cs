namespace Drover.Contracts.Agent;

/// <summary>The domain is defined (inactive) on the destination.</summary>
public sealed record DomainDefined : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The destination host.</summary>
    public required string Host { get; init; }

    /// <summary>The defined domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The host's earlier definition of this domain (same UUID) that the new one replaced, if any; a
    /// compensation defines it again.</summary>
    public string? PreviousDefinitionXml { get; init; }
}
