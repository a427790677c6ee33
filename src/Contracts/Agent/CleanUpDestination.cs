namespace Drover.Contracts.Agent;

/// <summary>To the destination host: unless <see cref="Persistent"/>, drop the persistent definition so the running domain is transient (the chapter's default).</summary>
public sealed record CleanUpDestination : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>Keep the domain defined on the destination.</summary>
    public required bool Persistent { get; init; }

    /// <summary>With <see cref="Persistent"/>: start it when the destination boots (the setting it had on the source).</summary>
    public bool Autostart { get; init; }
}
