namespace Drover.HostAgent.Libvirt;

/// <summary>libvirt's virDomainJobType.</summary>
public enum JobType
{
    None = 0,
    Bounded = 1,
    Unbounded = 2,
    Completed = 3,
    Failed = 4,
    Cancelled = 5,
}
