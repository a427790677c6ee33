namespace Drover.Contracts.Agent;

/// <summary>
/// To the source host, from an operator: change the running transfer of a migration — its bandwidth, its maximum
/// downtime — or force it to complete: switch to post-copy when the request allowed it, otherwise pause the VM so that
/// the copy finishes (libvirt resumes it on the destination). The agent that watches the job applies it and reports each
/// change as a <see cref="MigrationEscalated"/>, recorded on the saga; an adjustment for a transfer that is not running
/// there (it ended, or it belongs to another attempt) is ignored.
/// </summary>
public sealed record AdjustTransfer
{
    /// <summary>The migration.</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The attempt whose transfer is meant: an adjustment never reaches a later attempt's transfer.</summary>
    public required int Attempt { get; init; }

    /// <summary>The new bandwidth limit in MiB/s, or null to leave it.</summary>
    public long? BandwidthMiBps { get; init; }

    /// <summary>The new maximum downtime in milliseconds (live migrations), or null to leave it.</summary>
    public long? MaxDowntimeMs { get; init; }

    /// <summary>Make the copy finish now: post-copy when the request allowed it, otherwise pause the VM.</summary>
    public bool ForceComplete { get; init; }

    /// <summary>Who asked, for the record.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>After this instant the adjustment is stale and ignored.</summary>
    public required DateTimeOffset NotAfter { get; init; }
}
