namespace Drover.Contracts.Agent;

/// <summary>The domain runs on the destination (or, offline, is defined there), in its final shape.</summary>
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

    /// <summary>Whether the domain is persistent on the destination.</summary>
    public bool Persistent { get; init; }

    /// <summary>The domain runs on the destination but could not be given its final shape there (its definition dropped or
    /// kept with autostart): what went wrong. The move stands; nothing is rolled back for it.</summary>
    public string? CleanUpWarning { get; init; }
}
