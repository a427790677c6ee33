namespace Drover.Contracts.Agent;

/// <summary>
/// A request to a host's agent (answered with <see cref="DirtyRateMeasured"/>): how fast the running domain dirties its
/// memory, measured by libvirt's dirty-rate calculation in page-sampling mode over <see cref="WindowSeconds"/>, without
/// disturbing the guest. For a pre-flight: nothing is started, defined or changed.
/// </summary>
public sealed record MeasureDirtyRate
{
    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>The measuring window, in whole seconds (1 to 10); no longer than one pre-copy iteration, or a guest that
    /// rewrites the same pages reads slower than it is.</summary>
    public int WindowSeconds { get; init; } = 1;
}

/// <summary>The answer to <see cref="MeasureDirtyRate"/>.</summary>
public sealed record DirtyRateMeasured
{
    /// <summary>The host that measured.</summary>
    public required string Host { get; init; }

    /// <summary>The domain's name.</summary>
    public required string DomainName { get; init; }

    /// <summary>Whether the domain runs (a shut-off or paused domain dirties nothing and is not measured).</summary>
    public required bool Running { get; init; }

    /// <summary>The dirty rate in MiB/s, when measured.</summary>
    public long? DirtyRateMiBps { get; init; }

    /// <summary>The domain's memory in MiB.</summary>
    public required long MemoryMiB { get; init; }

    /// <summary>The window measured over, in seconds.</summary>
    public required int WindowSeconds { get; init; }

    /// <summary>Why nothing was measured, when it was not.</summary>
    public string? Error { get; init; }
}
