using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Hypervisors.Simulated;

/// <summary>What a simulated host knows of one domain (guarded by the fleet's lock).</summary>
internal sealed class SimulatedDomainRecord
{
    public required string Name { get; init; }

    public required Guid Uuid { get; init; }

    public required long MemoryKiB { get; set; }

    public required int VCpus { get; set; }

    public required string Xml { get; set; }

    public DomainRunState State { get; set; } = DomainRunState.Shutoff;

    public bool Persistent { get; set; }

    public bool Autostart { get; set; }

    /// <summary>The migration job running, if one is.</summary>
    public SimulatedJob? Job { get; set; }

    /// <summary>The last job's final statistics.</summary>
    public JobStats? LastJob { get; set; }
}
