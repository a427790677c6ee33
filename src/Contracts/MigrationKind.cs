using System.Text.Json.Serialization;

namespace Drover.Contracts;

/// <summary>How a VM moves, after the RHEL 8 chapter "Migrating virtual machines".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MigrationKind>))]   // on the bus: a name in any case, or a number
public enum MigrationKind
{
    /// <summary>The VM keeps running while its memory is copied and pauses only briefly at the switch. Needs shared storage.</summary>
    Live,

    /// <summary>The VM is suspended, its state copied, and it resumes on the destination. Needs shared storage.</summary>
    NonLive,

    /// <summary>The VM is shut off; only its configuration moves. Storage need not be shared.</summary>
    Offline,
}
