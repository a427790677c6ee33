namespace Drover.Coordinator.Rebalancing;

/// <summary>A host as the planner sees it.</summary>
public sealed record FleetHost(string Name, long MemoryTotalKiB, int Cpus, string CpuModel, IReadOnlyCollection<string> SharedStorage, bool Up = true);

/// <summary>A VM as the planner sees it; a pinned VM is never moved.</summary>
public sealed record FleetVm(string Name, string Host, long MemoryKiB, int VCpus, IReadOnlyList<string> Disks, bool Pinned = false);

/// <summary>The fleet at one moment: the planner's whole input.</summary>
public sealed record FleetSnapshot(IReadOnlyList<FleetHost> Hosts, IReadOnlyList<FleetVm> Vms);
