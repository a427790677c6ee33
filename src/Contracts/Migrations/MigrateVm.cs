namespace Drover.Contracts.Migrations;

/// <summary>
/// Move one VM to another host. The one message an outside service needs to publish. Publishing the same
/// <see cref="MigrationId"/> twice runs one migration. The outcome is published as
/// <see cref="MigrationCompleted"/>, <see cref="MigrationRejected"/>, <see cref="MigrationRolledBack"/> or
/// <see cref="MigrationFailed"/>; every step in between as <see cref="MigrationStateChanged"/>.
/// </summary>
public sealed record MigrateVm
{
    /// <summary>Identifies this migration; choose a new one per request (it is the idempotency key).</summary>
    public required Guid MigrationId { get; init; }

    /// <summary>The VM's libvirt domain name or UUID.</summary>
    public required string Vm { get; init; }

    /// <summary>The host the VM runs on now.</summary>
    public required string SourceHost { get; init; }

    /// <summary>The host to move it to; null lets the coordinator choose (placement).</summary>
    public string? DestinationHost { get; init; }

    /// <summary>Live (default), non-live or offline.</summary>
    public MigrationKind Kind { get; init; } = MigrationKind.Live;

    /// <summary>Keep the VM defined on the destination (default: transient there, as the RHEL chapter describes).</summary>
    public bool Persistent { get; init; }

    /// <summary>Remove the VM's definition from the source after the move (default: it stays defined there, inactive).</summary>
    public bool UndefineSource { get; init; }

    /// <summary>Bandwidth limit in MiB/s; null for no limit. Must be positive when given.</summary>
    public long? BandwidthMiBps { get; init; }

    /// <summary>Longest acceptable pause at the switch, in milliseconds; null for the hypervisor's default.</summary>
    public long? MaxDowntimeMs { get; init; }

    /// <summary>Allow throttling the guest's vCPUs when memory does not converge.</summary>
    public bool AutoConverge { get; init; }

    /// <summary>Allow switching to post-copy when pre-copy does not converge.</summary>
    public bool PostCopyAllowed { get; init; }

    /// <summary>Allow falling back to a non-live migration when a live one cannot converge.</summary>
    public bool FallBackToNonLiveAllowed { get; init; }

    /// <summary>Copy the disks to the destination (for disks it cannot see).</summary>
    public bool CopyStorage { get; init; }

    /// <summary>Higher runs first when migrations wait for a free slot.</summary>
    public int Priority { get; init; }

    /// <summary>Who asked (a service, an operator), for the record.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>How many times to attempt the migration when it is rolled back by an infrastructure fault (a host or
    /// libvirtd unreachable, a step without an answer); null for the coordinator's default (3). 1 never retries.</summary>
    public int? MaxAttempts { get; init; }
}
