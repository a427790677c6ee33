namespace Drover.Api;

public enum HostStatus
{
    /// <summary>Heartbeats arrive and libvirtd answers.</summary>
    Up,

    /// <summary>The agent's heartbeats arrive but its libvirtd does not answer: no migration to or from it.</summary>
    Degraded,

    /// <summary>No heartbeat for <c>Migrations:HostDownAfter</c>.</summary>
    Down,
}
