namespace Drover.HostAgent.Libvirt;

public static class DomainStateExtensions
{
    /// <summary>The state as operators and events name it: running, paused, shutoff, ...</summary>
    public static string ToWireName(this DomainState state) => state switch
    {
        DomainState.NoState => "nostate",
        DomainState.PmSuspended => "pmsuspended",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>Running, blocked or paused: QEMU is up and holds the guest's memory.</summary>
    public static bool IsActive(this DomainState state) =>
        state is DomainState.Running or DomainState.Blocked or DomainState.Paused or DomainState.PmSuspended;
}
