namespace Drover.HostAgent.Libvirt;

/// <summary>libvirt's virDomainGetJobStatsFlags.</summary>
[Flags]
public enum JobStatsFlags : uint
{
    None = 0,
    Completed = 1,
    KeepCompleted = 2,
}
