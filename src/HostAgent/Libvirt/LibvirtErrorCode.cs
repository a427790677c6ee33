namespace Drover.HostAgent.Libvirt;

/// <summary>The virErrorNumber values the agent acts on (libvirt's virterror.h).</summary>
public enum LibvirtErrorCode
{
    Unknown = -1,
    Ok = 0,
    InternalError = 1,
    NoSupport = 3,
    NoConnect = 5,
    InvalidArg = 8,
    OperationFailed = 9,
    XmlError = 27,
    DomainExists = 28,
    XmlDetail = 35,
    SystemError = 38,
    Rpc = 39,
    NoDomain = 42,
    AuthFailed = 45,
    NoStorageVolume = 50,
    OperationInvalid = 55,
    ConfigUnsupported = 67,
    OperationTimeout = 68,
    ArgumentUnsupported = 74,
    OperationAborted = 78,
    MigrateUnsafe = 81,
    CpuIncompatible = 91,
}
