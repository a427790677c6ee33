namespace Drover.Contracts.Agent;

/// <summary>To the source host: remove the probe files and, if asked, the domain's definition.</summary>
public sealed record CleanUpSource : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>Undefine the (inactive) domain on the source.</summary>
    public required bool UndefineSource { get; init; }

    /// <summary>The VM moved: turn autostart off on the definition the source keeps, so that a reboot of the source never
    /// starts it a second time (false when only probes are removed after a refusal).</summary>
    public bool DisableAutostart { get; init; }

    /// <summary>With <see cref="UndefineSource"/> after a storage copy: the source's images of the disks that were copied (the
    /// VM runs on the destination's copies now). The agent removes only those that are file disks of the domain in its
    /// local storage.</summary>
    public IReadOnlyList<string> RemoveDisks { get; init; } = [];

    /// <summary>The probe files to remove.</summary>
    public IReadOnlyList<string> ProbePaths { get; init; } = [];
}
