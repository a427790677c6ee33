using System.Text.Json.Serialization;

namespace Drover.Contracts;

/// <summary>
/// A domain's run state: libvirt's <c>virDomainState</c> (same numbers), named on the bus, in the API and in logs as
/// <c>virsh domstate</c> names it. The one definition every process uses; see <see cref="DomainRunStates"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<DomainRunState>))]
public enum DomainRunState
{
    /// <summary>libvirt does not say.</summary>
    [JsonStringEnumMemberName("nostate")] NoState = 0,

    /// <summary>Its vCPUs run.</summary>
    [JsonStringEnumMemberName("running")] Running = 1,

    /// <summary>Running, blocked on a resource.</summary>
    [JsonStringEnumMemberName("blocked")] Blocked = 2,

    /// <summary>Paused by a user or by libvirt (a migration's switch); QEMU holds its memory.</summary>
    [JsonStringEnumMemberName("paused")] Paused = 3,

    /// <summary>Shutting down.</summary>
    [JsonStringEnumMemberName("shutdown")] Shutdown = 4,

    /// <summary>Not running: only its definition exists.</summary>
    [JsonStringEnumMemberName("shutoff")] Shutoff = 5,

    /// <summary>Its QEMU crashed.</summary>
    [JsonStringEnumMemberName("crashed")] Crashed = 6,

    /// <summary>Suspended by the guest's power management.</summary>
    [JsonStringEnumMemberName("pmsuspended")] PmSuspended = 7,
}

/// <summary>What a <see cref="DomainRunState"/> means for a migration.</summary>
public static class DomainRunStates
{
    /// <summary>Running, blocked, paused or suspended: a QEMU is up and holds the guest's memory (the VM exists on that host).</summary>
    public static bool IsActive(this DomainRunState state) =>
        state is DomainRunState.Running or DomainRunState.Blocked or DomainRunState.Paused or DomainRunState.PmSuspended;

    /// <summary>Its vCPUs run (blocked counts: it is running and waiting).</summary>
    public static bool IsRunning(this DomainRunState state) => state is DomainRunState.Running or DomainRunState.Blocked;

    /// <summary>The name as <c>virsh domstate</c> and the bus say it: running, paused, shutoff, ...</summary>
    public static string ToWireName(this DomainRunState state) => state switch
    {
        DomainRunState.NoState => "nostate",
        DomainRunState.PmSuspended => "pmsuspended",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>The state a wire name stands for; null for anything else (<c>absent</c>, <c>unknown</c>).</summary>
    public static DomainRunState? FromWireName(string? name) =>
        Enum.GetValues<DomainRunState>().Cast<DomainRunState?>().FirstOrDefault(s => s!.Value.ToWireName() == name);
}
