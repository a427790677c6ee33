namespace Drover.Contracts.Agent;

/// <summary>The knobs of one migration's memory transfer.</summary>
public sealed record MigrationTuning
{
    /// <summary>Bandwidth limit in MiB/s; null leaves the hypervisor's default (unlimited).</summary>
    public long? BandwidthMiBps { get; init; }

    /// <summary>Longest pause the switch-over may cause, in milliseconds; null leaves the hypervisor's default.</summary>
    public long? MaxDowntimeMs { get; init; }

    /// <summary>Let the hypervisor throttle the vCPUs when the memory does not converge.</summary>
    public bool AutoConverge { get; init; }

    /// <summary>Allow switching to post-copy when pre-copy does not converge.</summary>
    public bool PostCopyAllowed { get; init; }

    /// <summary>Allow suspending the VM to finish a live migration that does not converge (it becomes non-live).</summary>
    public bool FallBackToNonLiveAllowed { get; init; }

    /// <summary>Copy the disks too (for disks the destination cannot see).</summary>
    public bool CopyStorage { get; init; }
}
