namespace Drover.Contracts.Hosts;

/// <summary>Published by every host agent every few seconds: what the host is and what it runs.</summary>
public sealed record HostHeartbeat : IHostReport
{
    /// <summary>The host's name (its agent's queue is <c>host-agent-{Host}</c>).</summary>
    public required string Host { get; init; }

    /// <summary>The libvirt URI other hosts use to migrate to this one.</summary>
    public required string MigrationUri { get; init; }

    /// <summary>libvirt's version (major * 1,000,000 + minor * 1,000 + release).</summary>
    public required long LibvirtVersion { get; init; }

    /// <summary>The hypervisor's (QEMU's) version, encoded the same way.</summary>
    public required long HypervisorVersion { get; init; }

    /// <summary>The host CPU's model.</summary>
    public required string CpuModel { get; init; }

    /// <summary>The host's logical CPUs.</summary>
    public required int Cpus { get; init; }

    /// <summary>The host's memory in KiB.</summary>
    public required long MemoryTotalKiB { get; init; }

    /// <summary>The host's free memory in KiB.</summary>
    public required long MemoryFreeKiB { get; init; }

    /// <summary>The directories this host shares with others.</summary>
    public required IReadOnlyList<string> SharedStorage { get; init; }

    /// <summary>The domains on this host.</summary>
    public required IReadOnlyList<DomainSummary> Domains { get; init; }

    /// <summary>When the agent sent it. The figures are from its latest complete read of the host: a read that takes longer
    /// than the interval does not hold the heartbeat back (see <see cref="HypervisorAvailable"/> for one that never ends).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Whether the host's libvirtd answered (a read that failed, or has not ended within the agent's hypervisor timeout). When it did not, the agent is alive but the host cannot take or send a
    /// migration (Degraded): the figures are the last it read, and <see cref="HypervisorError"/> says why.</summary>
    public bool HypervisorAvailable { get; init; } = true;

    /// <summary>What libvirt said when it did not answer.</summary>
    public string? HypervisorError { get; init; }
}
