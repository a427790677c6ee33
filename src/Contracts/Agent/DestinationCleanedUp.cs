namespace Drover.Contracts.Agent;

/// <summary>The destination host is in its final shape.</summary>
public sealed record DestinationCleanedUp : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The destination host.</summary>
    public required string Host { get; init; }

    /// <summary>Whether the domain is persistent on the destination.</summary>
    public required bool Persistent { get; init; }
}
