namespace Drover.Contracts.Agent;

/// <summary>A disk image the destination creates empty before the transfer, for the source's to be copied into (a migration
/// with storage copy of a disk the destination cannot see): by QEMU during a live or non-live migration, streamed between
/// the two libvirt daemons before an offline one.</summary>
public sealed record DiskImage
{
    /// <summary>The image's path: the same on both hosts (the definition names it).</summary>
    public required string Path { get; init; }

    /// <summary>The image format (<c>qcow2</c> or <c>raw</c>), as the definition's driver names it.</summary>
    public required string Format { get; init; }

    /// <summary>The guest-visible (virtual) size in bytes.</summary>
    public required long CapacityBytes { get; init; }

    /// <summary>The SHA-256 (lowercase hex) of the image's file as the source streamed it (an offline copy); the destination
    /// checks its copy against it before the migration counts as done. Null until streamed.</summary>
    public string? Sha256 { get; init; }
}
