namespace Drover.Contracts.Hosts;

/// <summary>One domain as its host sees it.</summary>
public sealed record DomainSummary
{
    /// <summary>The domain's name.</summary>
    public required string Name { get; init; }

    /// <summary>The domain's UUID.</summary>
    public required Guid Uuid { get; init; }

    /// <summary>Its state (<c>running</c>, <c>paused</c>, <c>shutoff</c>, ... on the wire).</summary>
    public required DomainRunState State { get; init; }

    /// <summary>Its vCPUs.</summary>
    public required int VCpus { get; init; }

    /// <summary>Its memory in KiB.</summary>
    public required long MemoryKiB { get; init; }

    /// <summary>Whether it is defined persistently.</summary>
    public required bool Persistent { get; init; }

    /// <summary>Its disks' paths (file and block devices).</summary>
    public IReadOnlyList<string> Disks { get; init; } = [];
}
