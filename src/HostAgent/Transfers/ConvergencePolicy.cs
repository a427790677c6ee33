using Drover.Contracts;
using Drover.Contracts.Agent;

namespace Drover.HostAgent.Transfers;

/// <summary>Settings of the convergence ladder (section <c>Agent:Convergence</c>).</summary>
public sealed class ConvergenceOptions
{
    /// <summary>Pre-copy iterations without real progress before the agent escalates one step.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100)]
    public int StallIterations { get; set; } = 3;

    /// <summary>How much lower (in percent) the data left at an iteration's start must be to count as progress.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 90)]
    public int ProgressPercent { get; set; } = 10;

    /// <summary>The ceiling for the maximum downtime when the request names none, in milliseconds.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 60_000)]
    public long DefaultMaxDowntimeMs { get; set; } = 500;
}

/// <summary>What the policy tells the agent to do, and why.</summary>
public sealed record ConvergenceStep(ConvergenceAction Action, long MaxDowntimeMs, string Reason, long? BandwidthMiBps = null);

/// <summary>
/// The convergence policy of one live migration (pure). It watches the data left to send at the start of each pre-copy
/// iteration; when that has not dropped below its low-water mark by <see cref="ConvergenceOptions.ProgressPercent"/> for
/// <see cref="ConvergenceOptions.StallIterations"/> iterations, the transfer is stalled and the policy climbs one rung:
/// double the maximum downtime up to the request's ceiling (oVirt-style schedule, starting at libvirt's 300 ms), then
/// post-copy when allowed, then suspend the VM so the copy finishes (non-live) when allowed, then abort — the VM keeps
/// running on the source. Auto-converge is not a rung: libvirt only turns it on when the job starts.
/// </summary>
public sealed class ConvergencePolicy
{
    /// <summary>libvirt's (QEMU's) own default maximum downtime.</summary>
    public const long HypervisorDefaultDowntimeMs = 300;

    private readonly MigrationTuning _tuning;
    private readonly ConvergenceOptions _options;
    private readonly bool _applies;
    private long _ceilingMs;
    private long _lowWater = long.MaxValue;
    private int _lowWaterIteration;
    private int _lastIteration;
    private bool _postCopy;
    private bool _suspended;

    public ConvergencePolicy(MigrationKind kind, MigrationTuning tuning, ConvergenceOptions options)
    {
        _tuning = tuning;
        _options = options;
        _applies = kind == MigrationKind.Live;
        _ceilingMs = tuning.MaxDowntimeMs is > 0 and var max ? max : options.DefaultMaxDowntimeMs;
        MaxDowntimeMs = Math.Min(HypervisorDefaultDowntimeMs, _ceilingMs);
    }

    /// <summary>The maximum downtime the agent should have set on the job now.</summary>
    public long MaxDowntimeMs { get; private set; }

    /// <summary>An operator's maximum downtime: in force now, and the new ceiling of the ladder.</summary>
    public ConvergenceStep SetMaxDowntime(long ms)
    {
        _ceilingMs = MaxDowntimeMs = ms;
        return new(ConvergenceAction.SetMaxDowntime, ms, $"maximum downtime set to {ms} ms by an operator");
    }

    /// <summary>An operator forces the copy to finish: post-copy when the request allowed it (and it has not started),
    /// else pause the VM; null when the transfer cannot be pushed further (already post-copy or paused).</summary>
    public ConvergenceStep? ForceComplete()
    {
        if (!_applies) return null;   // non-live: the VM is already paused for the copy
        if (_tuning.PostCopyAllowed && !_postCopy)
        {
            _postCopy = true;
            return new(ConvergenceAction.StartPostCopy, MaxDowntimeMs, "forced to complete by an operator: switching to post-copy");
        }
        if (_postCopy || _suspended) return null;
        _suspended = true;
        return new(ConvergenceAction.SuspendForNonLive, MaxDowntimeMs, "forced to complete by an operator: the VM is paused so the copy finishes");
    }

    /// <summary>Feeds one reading of the job; returns a step when the transfer is stalled, else null.</summary>
    public ConvergenceStep? Observe(int iteration, long dataRemainingBytes)
    {
        // Iteration 1 is the first full pass; only the data left when a later pass begins says whether the guest
        // dirties memory faster than it can be sent.
        if (!_applies || _postCopy || iteration < 2 || iteration == _lastIteration) return null;
        _lastIteration = iteration;
        if (dataRemainingBytes < _lowWater * ((100 - _options.ProgressPercent) / 100.0))
        {
            _lowWater = dataRemainingBytes;
            _lowWaterIteration = iteration;
            return null;
        }
        if (iteration - _lowWaterIteration < _options.StallIterations) return null;

        string stall = $"{Mib(dataRemainingBytes)} MiB still to send at iteration {iteration}, not {_options.ProgressPercent}% below the {Mib(_lowWater)} MiB of iteration {_lowWaterIteration}";
        _lowWaterIteration = iteration;   // give the new rung as many iterations to work
        _lowWater = dataRemainingBytes;
        if (MaxDowntimeMs < _ceilingMs)
        {
            MaxDowntimeMs = Math.Min(_ceilingMs, MaxDowntimeMs * 2);
            return new(ConvergenceAction.RaiseMaxDowntime, MaxDowntimeMs, $"{stall}: maximum downtime raised to {MaxDowntimeMs} ms (ceiling {_ceilingMs} ms)");
        }
        if (_tuning.PostCopyAllowed && !_postCopy)
        {
            _postCopy = true;
            return new(ConvergenceAction.StartPostCopy, MaxDowntimeMs, $"{stall} at the maximum downtime of {MaxDowntimeMs} ms: switching to post-copy");
        }
        if (_tuning.FallBackToNonLiveAllowed && !_suspended)
        {
            _suspended = true;
            return new(ConvergenceAction.SuspendForNonLive, MaxDowntimeMs, $"{stall} at the maximum downtime of {MaxDowntimeMs} ms: suspending the VM to finish non-live");
        }
        string allowed = _tuning.PostCopyAllowed || _tuning.FallBackToNonLiveAllowed ? "the allowed escalations did not help" : "neither post-copy nor a fall-back to non-live is allowed";
        return new(ConvergenceAction.Abort, MaxDowntimeMs, $"The migration did not converge: {stall} at the maximum downtime of {MaxDowntimeMs} ms, and {allowed}; aborted, the VM keeps running on the source");
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
