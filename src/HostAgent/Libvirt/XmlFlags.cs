namespace Drover.HostAgent.Libvirt;

/// <summary>libvirt's virDomainXMLFlags.</summary>
[Flags]
public enum XmlFlags : uint
{
    None = 0,
    Secure = 1,
    Inactive = 2,
    UpdateCpu = 4,
    Migratable = 8,
}
