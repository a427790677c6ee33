using Drover.Api;
using Drover.Contracts.Hosts;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// The hosts as the inventory has them and the migrations that hold them, indexed once for an admission pass: hosts and
/// their domains by name, each host's migrations in and out and the memory coming in, the VMs being migrated, the storage
/// two hosts share. A pass decides for every queued migration (thousands in a long queue) against every host: lists scanned
/// per decision made the admission scan the coordinator's largest cost (bench/control-plane.sh). Admitting a migration
/// during the pass adds it here (<see cref="Add"/>).
/// </summary>
public sealed class FleetLoad
{
    private readonly Dictionary<string, HostView> _hosts = [];
    private readonly Dictionary<string, (Dictionary<string, int> ByName, Dictionary<string, int> ByUuid)> _domains = [];
    private readonly Dictionary<string, (int Out, int In, long InKiB)> _load = [];
    private readonly Dictionary<string, ActiveMigration> _byVm = [];       // by the name its request used
    private readonly Dictionary<string, ActiveMigration> _byDomain = [];   // by the domain's name, once validation found it
    private readonly Dictionary<(string, string), List<string>> _shared = [];

    public FleetLoad(IReadOnlyList<HostView> hosts, IEnumerable<ActiveMigration> active)
    {
        Hosts = hosts;
        foreach (var h in hosts)
        {
            _hosts.TryAdd(h.Name, h);
            if (_domains.ContainsKey(h.Name)) continue;
            var byName = new Dictionary<string, int>();
            var byUuid = new Dictionary<string, int>();
            for (int i = 0; i < h.Domains.Count; i++)
            {
                byName.TryAdd(h.Domains[i].Name, i);
                byUuid.TryAdd(h.Domains[i].Uuid.ToString(), i);
            }
            _domains[h.Name] = (byName, byUuid);
        }
        foreach (var a in active) Add(a);
    }

    public IReadOnlyList<HostView> Hosts { get; }

    /// <summary>Migrations running or admitted.</summary>
    public int Count { get; private set; }

    public HostView? Host(string name) => _hosts.GetValueOrDefault(name);

    /// <summary>The domain a request names, by name or UUID (the first the host listed).</summary>
    public DomainSummary? Domain(HostView host, string nameOrUuid)
    {
        if (!_domains.TryGetValue(host.Name, out var d)) return null;
        int byName = d.ByName.GetValueOrDefault(nameOrUuid, int.MaxValue);
        int byUuid = d.ByUuid.GetValueOrDefault(nameOrUuid.ToLowerInvariant(), int.MaxValue);
        int i = Math.Min(byName, byUuid);
        return i == int.MaxValue ? null : host.Domains[i];
    }

    public DomainSummary? DomainNamed(HostView host, string name) =>
        _domains.TryGetValue(host.Name, out var d) && d.ByName.TryGetValue(name, out int i) ? host.Domains[i] : null;

    public int Outgoing(string host) => _load.GetValueOrDefault(host).Out;

    public int Incoming(string host) => _load.GetValueOrDefault(host).In;

    /// <summary>Free memory on the host minus what migrations already admitted to it will take.</summary>
    public long Room(HostView host) => host.MemoryFreeKiB - _load.GetValueOrDefault(host.Name).InKiB;

    /// <summary>A migration other than <paramref name="except"/> that moves a VM of one of these names.</summary>
    public ActiveMigration? Migrating(Guid except, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (_byVm.TryGetValue(name, out var a) && a.Id != except) return a;
            if (_byDomain.TryGetValue(name, out a) && a.Id != except) return a;
        }
        return null;
    }

    /// <summary>The directories both hosts share, each ending in '/'.</summary>
    public IReadOnlyList<string> SharedStorage(HostView a, HostView b)
    {
        if (!_shared.TryGetValue((a.Name, b.Name), out var shared))
            _shared[(a.Name, b.Name)] = shared = [.. a.SharedStorage.Intersect(b.SharedStorage).Select(dir => dir.TrimEnd('/') + "/")];
        return shared;
    }

    public void Add(ActiveMigration a)
    {
        Count++;
        var source = _load.GetValueOrDefault(a.SourceHost);
        _load[a.SourceHost] = source with { Out = source.Out + 1 };
        if (a.DestinationHost is { } d)
        {
            var destination = _load.GetValueOrDefault(d);
            _load[d] = destination with { In = destination.In + 1, InKiB = destination.InKiB + a.MemoryKiB };
        }
        _byVm.TryAdd(a.Vm, a);
        if (a.DomainName is { } domain) _byDomain.TryAdd(domain, a);
    }
}
