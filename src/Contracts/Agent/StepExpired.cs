namespace Drover.Contracts.Agent;

/// <summary>An agent received a step command after its <see cref="StepTicket.NotAfter"/> and left libvirt untouched.</summary>
public sealed record StepExpired : IStepEvent
{
    /// <summary>The migration the command belonged to.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The host whose agent refused it.</summary>
    public required string Host { get; init; }

    /// <summary>The command (its message type name, e.g. <c>TransferMemory</c>).</summary>
    public required string Command { get; init; }

    /// <summary>The command's ticket.</summary>
    public required StepTicket Ticket { get; init; }
}
