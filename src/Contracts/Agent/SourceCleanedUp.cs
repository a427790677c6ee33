namespace Drover.Contracts.Agent;

/// <summary>The source host is clean.</summary>
public sealed record SourceCleanedUp : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The source host.</summary>
    public required string Host { get; init; }

    /// <summary>Whether the domain is still defined on the source.</summary>
    public required bool StillDefined { get; init; }

    /// <summary>Whether the kept definition had autostart on, which the clean-up turned off: the VM now runs elsewhere, and
    /// a reboot of the source must not start it a second time.</summary>
    public bool AutostartTurnedOff { get; init; }
}
