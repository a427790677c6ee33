using System.Text.Json.Serialization;

namespace Drover.Contracts.Agent;

/// <summary>Why a step failed on a host, as a stable code a program can act on.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentFailureCode>))]   // on the bus: a name in any case, or a number
public enum AgentFailureCode
{
    /// <summary>The domain does not exist on the host.</summary>
    DomainNotFound,

    /// <summary>The domain's state does not fit the step (for example offline kind for a running VM).</summary>
    WrongDomainState,

    /// <summary>A disk the migration needs to share is not visible from the destination.</summary>
    StorageNotShared,

    /// <summary>The domain has devices that cannot migrate (host devices, passthrough).</summary>
    UnmigratableDevice,

    /// <summary>The destination lacks the memory or vCPUs the domain needs.</summary>
    InsufficientResources,

    /// <summary>The destination's CPU cannot run the domain's CPU model.</summary>
    CpuIncompatible,

    /// <summary>Another domain on the destination already has this name or UUID.</summary>
    NameOrUuidConflict,

    /// <summary>The destination runs an older libvirt or QEMU than the source.</summary>
    VersionTooOld,

    /// <summary>The destination could not be reached.</summary>
    DestinationUnreachable,

    /// <summary>The request itself is malformed (a bad name, a bad number).</summary>
    InvalidRequest,

    /// <summary>The migration job was aborted.</summary>
    Aborted,

    /// <summary>libvirt refused or failed the operation; the reason has its message.</summary>
    HypervisorError,

    /// <summary>A live migration did not converge and its request allowed no further escalation: it was aborted.</summary>
    DidNotConverge,

    /// <summary>This host's own libvirtd does not answer (stopped, restarting); the step can succeed once it is back.</summary>
    HypervisorUnavailable,

    /// <summary>The command asks for something this host does not allow: a definition with QEMU pass-through arguments or
    /// host devices, a file outside its storage, a migration to a host that is not its peer. Final: asking again changes nothing.</summary>
    NotPermitted,

    /// <summary>A disk the guest writes uses a cache mode that can lose data at the switch (anything but <c>none</c> or
    /// <c>directsync</c>): a migration that moves memory refuses it rather than migrate unsafely.</summary>
    UnsafeDiskCache,
}
