namespace Drover.Coordinator.Rebalancing;

/// <summary>The planner's working copy of the fleet: loads per host, VMs per host sorted by size, hosts ordered by utilisation.</summary>
internal sealed class FleetState
{
    private readonly PlanRequest _request;
    private readonly Dictionary<string, int> _index;
    private readonly List<FleetVm>[] _vms;
    private readonly long[] _memoryUsed;
    private readonly SortedSet<(double U, int Host)> _order = new();
    private readonly HashSet<string> _moved = [];
    private double _upLoad, _upCapacity;   // over the hosts that are up: their mean utilisation without a pass over the fleet

    public FleetState(FleetSnapshot fleet, PlanRequest request)
    {
        _request = request;
        Hosts = fleet.Hosts.ToArray();
        _index = Hosts.Select((h, i) => (h.Name, i)).ToDictionary(x => x.Name, x => x.i);
        Capacity = Hosts.Select(h => request.Strategy == PlanStrategy.BalanceVCpus ? (double)Math.Max(1, h.Cpus) : Math.Max(1, h.MemoryTotalKiB)).ToArray();
        Load = new double[Hosts.Length];
        _memoryUsed = new long[Hosts.Length];
        _vms = Hosts.Select(_ => new List<FleetVm>()).ToArray();
        foreach (var vm in fleet.Vms)
        {
            if (!_index.TryGetValue(vm.Host, out int h)) continue;
            _vms[h].Add(vm);
            Load[h] += LoadOf(vm);
            _memoryUsed[h] += vm.MemoryInUseKiB;
        }
        foreach (var list in _vms) list.Sort((a, b) => LoadOf(a).CompareTo(LoadOf(b)));
        for (int h = 0; h < Hosts.Length; h++)
        {
            if (!Hosts[h].Up) continue;
            _order.Add((Utilisation(h), h));
            _upLoad += Load[h];
            _upCapacity += Capacity[h];
        }
    }

    public FleetHost[] Hosts { get; }

    public double[] Capacity { get; }

    public double[] Load { get; }

    /// <summary>What the VM weighs on its host: its vCPUs or memory while it runs, nothing when it is shut off.</summary>
    public double LoadOf(FleetVm vm) => !vm.Running ? 0 : _request.Strategy == PlanStrategy.BalanceVCpus ? vm.VCpus : vm.MemoryKiB;

    public double Utilisation(int h) => Load[h] / Capacity[h];

    public double MeanUtilisation() => _upCapacity == 0 ? 0 : _upLoad / _upCapacity;

    /// <summary>Max − min utilisation over the hosts that are up, in percentage points.</summary>
    public double Spread() => _order.Count < 2 ? 0 : (_order.Max.U - _order.Min.U) * 100;

    public int? IndexOf(string host) => _index.TryGetValue(host, out int i) ? i : null;

    public int? Hottest(HashSet<int> except)
    {
        foreach (var (_, h) in _order.Reverse())
            if (!except.Contains(h)) return h;
        return null;
    }

    public int Coolest() => _order.Min.Host;

    public IEnumerable<int> CoolestFirst() => _order.Select(x => x.Host);   // lazy: callers do not change the order while they read it

    public List<FleetVm> VmsOn(int h) => _vms[h];

    /// <summary>The index of the largest VM whose load is at most <paramref name="limit"/> (−1 when none).</summary>
    public int IndexAtMost(List<FleetVm> sorted, double limit)
    {
        int lo = 0, hi = sorted.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (LoadOf(sorted[mid]) <= limit) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    public long MemoryRoom(int h) => (long)(Hosts[h].MemoryTotalKiB * (1 - _request.ReservePercent / 100)) - _memoryUsed[h];

    /// <summary>Why <paramref name="vm"/> cannot go from <paramref name="from"/> to <paramref name="to"/>, or null when it can.</summary>
    public string? CanTake(FleetVm vm, int from, int to)
    {
        var (source, target) = (Hosts[from], Hosts[to]);
        if (vm.Pinned) return $"{vm.Name} is pinned to {source.Name}";
        if (_moved.Contains(vm.Name)) return $"{vm.Name} already moves in this plan";
        if (!target.Up) return $"{target.Name} is down";
        if (target.CpuModel != source.CpuModel) return $"{target.Name}'s CPU ({target.CpuModel}) differs from {source.Name}'s ({source.CpuModel})";
        if (vm.VCpus > target.Cpus) return $"{vm.Name} has {vm.VCpus} vCPUs, {target.Name} {target.Cpus} CPUs";
        if (MemoryRoom(to) < vm.MemoryInUseKiB) return $"{target.Name} lacks {vm.MemoryKiB / 1024} MiB within its {_request.ReservePercent}% reserve";
        foreach (string disk in vm.Disks)
            if (!Shared(disk, source, target)) return $"{vm.Name}'s disk {disk} is not on storage {source.Name} and {target.Name} share";
        return null;
    }

    public PlannedMove Apply(FleetVm vm, int from, int to, PlanStrategy strategy)
    {
        string reason = strategy == PlanStrategy.Drain
            ? $"drain {Hosts[from].Name}"
            : $"{(strategy == PlanStrategy.BalanceVCpus ? "vCPU" : "memory")} {Utilisation(from) * 100:0.#}% on {Hosts[from].Name} vs {Utilisation(to) * 100:0.#}% on {Hosts[to].Name}";
        _order.Remove((Utilisation(from), from));
        _order.Remove((Utilisation(to), to));
        _vms[from].Remove(vm);
        Load[from] -= LoadOf(vm);
        Load[to] += LoadOf(vm);
        if (Hosts[from].Up) _upLoad -= LoadOf(vm);
        if (Hosts[to].Up) _upLoad += LoadOf(vm);
        _memoryUsed[from] -= vm.MemoryInUseKiB;
        _memoryUsed[to] += vm.MemoryInUseKiB;
        if (Hosts[from].Up) _order.Add((Utilisation(from), from));
        _order.Add((Utilisation(to), to));
        _moved.Add(vm.Name);
        return new PlannedMove(vm.Name, Hosts[from].Name, Hosts[to].Name, vm.MemoryKiB, reason);
    }

    private static bool Shared(string disk, FleetHost a, FleetHost b) =>
        a.SharedStorage.Any(dir => Under(disk, dir) && b.SharedStorage.Contains(dir));

    private static bool Under(string path, string dir) => path.StartsWith(dir.TrimEnd('/') + "/", StringComparison.Ordinal);
}
