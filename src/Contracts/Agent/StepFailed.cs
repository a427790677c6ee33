namespace Drover.Contracts.Agent;

/// <summary>An agent could not carry out a step's command. Nothing was changed unless the reason says so.</summary>
public sealed record StepFailed : IStepEvent
{
    /// <summary>The migration the command belonged to.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The ticket of the command this answers.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The host whose agent failed.</summary>
    public required string Host { get; init; }

    /// <summary>The command that failed (its message type name, e.g. <c>TransferMemory</c>).</summary>
    public required string Step { get; init; }

    /// <summary>A stable code for the failure.</summary>
    public required AgentFailureCode Code { get; init; }

    /// <summary>What went wrong, for a person.</summary>
    public required string Reason { get; init; }
}
