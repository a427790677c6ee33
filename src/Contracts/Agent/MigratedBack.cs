namespace Drover.Contracts.Agent;

/// <summary>The domain left the destination and is back on the source.</summary>
public sealed record MigratedBack : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The destination host it left.</summary>
    public required string Host { get; init; }
}
