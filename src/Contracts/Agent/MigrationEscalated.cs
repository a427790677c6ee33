namespace Drover.Contracts.Agent;

/// <summary>The source agent found a live migration stalled and escalated it one step (recorded on the saga).</summary>
public sealed record MigrationEscalated : IStepEvent
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The source host.</summary>
    public required string Host { get; init; }

    /// <summary>What the agent did.</summary>
    public required ConvergenceAction Action { get; init; }

    /// <summary>Why, for a person: the figures that showed the stall.</summary>
    public required string Reason { get; init; }

    /// <summary>The maximum downtime in force after this step, in milliseconds.</summary>
    public required long MaxDowntimeMs { get; init; }

    /// <summary>The pre-copy iteration when the agent acted.</summary>
    public required int Iteration { get; init; }

    /// <summary>Bytes still to send when the agent acted.</summary>
    public required long DataRemainingBytes { get; init; }

    /// <summary>When the agent acted.</summary>
    public required DateTimeOffset At { get; init; }
}
