namespace Drover.Contracts.Agent;

/// <summary>The destination host can take the domain.</summary>
public sealed record DestinationValidated : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The destination host.</summary>
    public required string Host { get; init; }

    /// <summary>Free memory on the destination when checked, in KiB.</summary>
    public required long FreeMemoryKiB { get; init; }
}
