namespace Drover.Contracts.Agent;

/// <summary>To the source host: abort the running migration job (cancellation). The transfer then ends in <see cref="StepFailed"/> with <see cref="AgentFailureCode.Aborted"/> and the domain keeps running on the source.</summary>
public sealed record AbortTransfer : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }
}
