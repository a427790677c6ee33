namespace Drover.Contracts.Agent;

/// <summary>The definition is gone from the host (or was never there).</summary>
public sealed record DomainUndefined : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The host.</summary>
    public required string Host { get; init; }
}
