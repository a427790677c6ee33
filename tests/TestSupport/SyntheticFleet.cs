using Drover.Coordinator.Rebalancing;

namespace Drover.TestSupport;

/// <summary>Fleets made up for the planner's tests and benchmark.</summary>
public static class SyntheticFleet
{
    public const string Shared = "/shared";

    public static FleetHost Host(string name, long gib = 64, int cpus = 32, string cpu = "EPYC") =>
        new(name, gib << 20, cpus, cpu, [Shared]);

    public static FleetVm Vm(string name, string host, long gib, int vcpus = 2, bool pinned = false, string? disk = null, bool running = true) =>
        new(name, host, gib << 20, vcpus, [disk ?? $"{Shared}/{name}.qcow2"], pinned, running);

    /// <summary><paramref name="hosts"/> hosts and <paramref name="vms"/> VMs of 1–32 GiB, piled onto the first hosts more than the last.</summary>
    public static FleetSnapshot Uneven(int hosts, int vms, int seed = 7)
    {
        var random = new Random(seed);
        var hostList = Enumerable.Range(0, hosts).Select(i => Host($"h{i:0000}", gib: i % 4 == 0 ? 512 : 256, cpus: 64)).ToList();
        long[] used = new long[hosts];
        var vmList = new List<FleetVm>(vms);
        long[] sizes = [1, 2, 2, 4, 4, 4, 8, 8, 16, 32];
        for (int i = 0; i < vms; i++)
        {
            long gib = sizes[random.Next(sizes.Length)];
            // skewed towards low host numbers, never past 90% of a host
            int h = (int)(hosts * Math.Pow(random.NextDouble(), 2));
            while (used[h] + gib > hostList[h].MemoryTotalKiB / (1 << 20) * 0.9) h = (h + 1) % hosts;
            used[h] += gib;
            vmList.Add(Vm($"vm{i:00000}", hostList[h].Name, gib, vcpus: (int)Math.Min(16, gib)));
        }
        return new FleetSnapshot(hostList, vmList);
    }
}
