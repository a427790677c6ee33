namespace Drover.Contracts.Agent;

/// <summary>A disk image the destination creates empty before the transfer, for libvirt to copy the source's into
/// (a migration with storage copy of a disk the destination cannot see).</summary>
public sealed record DiskImage
{
    /// <summary>The image's path: the same on both hosts (the definition names it).</summary>
    public required string Path { get; init; }

    /// <summary>The image format (<c>qcow2</c> or <c>raw</c>), as the definition's driver names it.</summary>
    public required string Format { get; init; }

    /// <summary>The guest-visible (virtual) size in bytes.</summary>
    public required long CapacityBytes { get; init; }
}
