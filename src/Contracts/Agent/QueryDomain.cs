namespace Drover.Contracts.Agent;

/// <summary>To any host: report what libvirt knows of the domain, so the coordinator can decide from facts.</summary>
public sealed record QueryDomain : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>First abort this migration's transfer if it still runs here (it made no progress in time), and report the facts once the job has ended.</summary>
    public bool AbortRunningTransfer { get; init; }
}
