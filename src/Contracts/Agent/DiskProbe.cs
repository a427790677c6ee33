namespace Drover.Contracts.Agent;

/// <summary>A token file written next to a disk on the source; the destination must read the same token at the same path.</summary>
public sealed record DiskProbe
{
    /// <summary>The disk's path on the source.</summary>
    public required string DiskPath { get; init; }

    /// <summary>The probe file's path, beside the disk.</summary>
    public required string ProbePath { get; init; }

    /// <summary>The random token written into the probe file.</summary>
    public required string Token { get; init; }
}
