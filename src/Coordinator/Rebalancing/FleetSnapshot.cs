namespace Drover.Coordinator.Rebalancing;

/// <summary>A host as the planner sees it.</summary>
public sealed record FleetHost(string Name, long MemoryTotalKiB, int Cpus, string CpuModel, IReadOnlyCollection<string> SharedStorage, bool Up = true);

/// <summary>A VM as the planner sees it; a pinned VM is never moved. One that is not <paramref name="Running"/> (shut off) uses
/// no memory and no CPU where it is defined: it weighs nothing in a host's load and moves offline.</summary>
public sealed record FleetVm(string Name, string Host, long MemoryKiB, int VCpus, IReadOnlyList<string> Disks, bool Pinned = false, bool Running = true)
{
    /// <summary>The memory it takes on the host it runs on: none when it is shut off.</summary>
    public long MemoryInUseKiB => Running ? MemoryKiB : 0;
}

/// <summary>The fleet at one moment: the planner's whole input.</summary>
public sealed record FleetSnapshot(IReadOnlyList<FleetHost> Hosts, IReadOnlyList<FleetVm> Vms);
