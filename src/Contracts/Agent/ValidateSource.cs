namespace Drover.Contracts.Agent;

/// <summary>To the source host: check that the domain can leave with this kind, classify its disks, and write a probe next to each disk that must be shared.</summary>
public sealed record ValidateSource : IStepCommand
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The step, attempt and expiry of this command.</summary>
    public required StepTicket Ticket { get; init; }

    /// <summary>The domain's name or UUID.</summary>
    public required string Domain { get; init; }

    /// <summary>The kind of migration asked for.</summary>
    public required MigrationKind Kind { get; init; }

    /// <summary>Whether the disks will be copied (then they need not be shared).</summary>
    public bool CopyStorage { get; init; }

    /// <summary>Whether the source's definition will be removed: then even an offline migration needs every disk where the
    /// destination sees it, or the definition would move and the disk stay behind.</summary>
    public bool UndefineSource { get; init; }

    /// <summary>Whether the disks must be on storage both hosts share (probes prove it).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool DisksMustBeShared => MustShareDisks(Kind, CopyStorage, UndefineSource);

    /// <summary>The rule, for admission too: unless they are copied, disks must be shared by a migration that moves memory, and
    /// by an offline one that removes the source's definition.</summary>
    public static bool MustShareDisks(MigrationKind kind, bool copyStorage, bool undefineSource) =>
        !copyStorage && (kind != MigrationKind.Offline || undefineSource);
}
