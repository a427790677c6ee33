using System.Text.Json.Serialization;

namespace Drover.Contracts.Agent;

/// <summary>One rung of the convergence ladder for a live migration whose memory does not converge, or a change an
/// operator made to a running transfer (<see cref="AdjustTransfer"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConvergenceAction>))]   // on the bus: a name in any case, or a number
public enum ConvergenceAction
{
    /// <summary>Allow a longer pause at the switch-over (up to the request's maximum downtime).</summary>
    RaiseMaxDowntime,

    /// <summary>Switch to post-copy: the VM runs on the destination and fetches the pages it still lacks.</summary>
    StartPostCopy,

    /// <summary>Suspend the VM on the source so the copy finishes; it resumes on the destination (non-live).</summary>
    SuspendForNonLive,

    /// <summary>Give up: abort the job and leave the VM running on the source.</summary>
    Abort,

    /// <summary>An operator changed the transfer's bandwidth limit.</summary>
    SetBandwidth,

    /// <summary>An operator set the maximum downtime.</summary>
    SetMaxDowntime,
}
