namespace Drover.Coordinator.Hosts;

public enum HostStatus
{
    Up,
    Down,
}
