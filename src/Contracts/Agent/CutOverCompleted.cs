namespace Drover.Contracts.Agent;

/// <summary>The domain runs on the destination (or, offline, is defined there).</summary>
public sealed record CutOverCompleted : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The destination host.</summary>
    public required string Host { get; init; }

    /// <summary>The domain's state on the destination after the cut-over.</summary>
    public required DomainRunState State { get; init; }
}
