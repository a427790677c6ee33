namespace Drover.Contracts.Agent;

/// <summary>
/// Compensation, to the source host: make the domain run again after a transfer that did not complete (libvirt leaves
/// it paused when the destination failed at the switch, or the agent suspended it to finish a migration non-live).
/// </summary>
public sealed record ResumeDomain : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>Whether the VM was running when the migration began; a VM its user paused is left paused.</summary>
    public bool WasRunning { get; init; } = true;
}
