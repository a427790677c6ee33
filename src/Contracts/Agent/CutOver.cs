namespace Drover.Contracts.Agent;

/// <summary>
/// To the destination host: confirm the domain arrived and is in the state it left in, then give it its final shape there.
/// libvirt resumes a VM that was running inside its migration protocol; a VM that is paused here although it was running is
/// resumed. Unless <see cref="Persistent"/>, the persistent definition is dropped so the running domain is transient (the
/// chapter's default).
/// </summary>
public sealed record CutOver : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The kind; an offline migration's domain stays shut off.</summary>
    public required MigrationKind Kind { get; init; }

    /// <summary>Whether the VM was running when the migration began; a VM its user paused stays paused.</summary>
    public bool WasRunning { get; init; } = true;

    /// <summary>The images an offline copy streamed here, with the source's SHA-256: each must read the same here.</summary>
    public IReadOnlyList<DiskImage> VerifyDisks { get; init; } = [];

    /// <summary>Keep the domain defined on the destination.</summary>
    public bool Persistent { get; init; }

    /// <summary>With <see cref="Persistent"/>: start it when the destination boots (the setting it had on the source).</summary>
    public bool Autostart { get; init; }
}
