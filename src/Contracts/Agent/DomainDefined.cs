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

    /// <summary>Whether the new definition replaced an earlier one of this domain (same UUID), which the host keeps until
    /// the migration ends (it has secrets: it never leaves the host); a compensation defines it again.</summary>
    public bool KeptPreviousDefinition { get; init; }
}
