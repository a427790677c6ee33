namespace Drover.Api;

/// <summary>The answer of a pre-flight (<c>POST /api/migrations/preflight</c>, <c>GET /api/vms/{vm}/placement</c>): can
/// this VM move, where, and will a live migration converge. Nothing is started, defined or changed to find out.</summary>
public sealed record PreflightView
{
    public required string Vm { get; init; }

    public required string SourceHost { get; init; }

    public required string Kind { get; init; }

    /// <summary>Whether the migration as asked would be admitted now: a destination can take it and the VM is in the
    /// state its kind needs.</summary>
    public required bool Possible { get; init; }

    /// <summary>The host it would go to (the one asked for, or placement's choice), with why.</summary>
    public string? Destination { get; init; }

    public string? DestinationReason { get; init; }

    /// <summary>What stands in the way whatever the host (the VM's state for the kind, an unknown source).</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>Every other host, eligible or not, with every reason it is not.</summary>
    public required IReadOnlyList<HostAssessment> Candidates { get; init; }

    /// <summary>The VM's disks that are not on storage its host shares (a live or non-live move needs them copied).</summary>
    public required IReadOnlyList<string> LocalDisks { get; init; }

    public required ConvergenceForecast Convergence { get; init; }
}

/// <summary>One host as a destination; <paramref name="AgentChecked"/>: its agent validated it as a migration's first step would
/// (it read the source's probes, checked memory, CPUs, the CPU model, name and UUID, versions).</summary>
public sealed record HostAssessment(string Host, bool Eligible, IReadOnlyList<string> Reasons, long FreeMemoryMiB, bool AgentChecked);

/// <summary>How a pre-copy live migration would go, from the VM's measured dirty rate.</summary>
public sealed record ConvergenceForecast
{
    /// <summary>Converges, WillNotConverge, NotLive (non-live or offline: nothing to converge), Unknown (not measured).</summary>
    public required string Verdict { get; init; }

    /// <summary>The answer for a person: "converges in about T s with downtime about D ms", or what to change.</summary>
    public required string Text { get; init; }

    public double? EstimatedSeconds { get; init; }

    public double? EstimatedDowntimeMs { get; init; }

    public long? DirtyRateMiBps { get; init; }

    public long? BandwidthMiBps { get; init; }

    /// <summary>The bandwidth was not asked for: the coordinator's assumption (<c>Migrations:PreflightBandwidthMiBps</c>).</summary>
    public bool BandwidthAssumed { get; init; }

    public long? MaxDowntimeMs { get; init; }

    /// <summary>The data the first pass is expected to send: what the VM's last transfer sent, else its memory.</summary>
    public long? FirstPassMiB { get; init; }

    /// <summary>The lowest bandwidth at which it would converge, when it does not at the one asked.</summary>
    public long? BandwidthNeededMiBps { get; init; }
}
