namespace Drover.Contracts.Agent;

/// <summary>The domain runs on the host.</summary>
public sealed record DomainResumed : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The host.</summary>
    public required string Host { get; init; }

    /// <summary>The domain's state afterwards.</summary>
    public required DomainRunState State { get; init; }
}
