using Drover.HostAgent.Libvirt;

namespace Drover.TestSupport;

/// <summary>The lab that <c>scripts/test.sh</c> brought up. A missing lab fails the test; it never skips it.</summary>
public static class Lab
{
    public static string Root { get; } = Environment.GetEnvironmentVariable("DROVER_LAB") ?? "/srv/drover-lab";

    public static async Task<IReadOnlyList<LabHost>> Hosts(int atLeast)
    {
        var hosts = (await Shell.Run(Repository.Script("lab.sh"), "hosts"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Select(f => new LabHost(f[0], f[1], f[2]))
            .ToList();
        if (hosts.Count < atLeast)
            throw new InvalidOperationException($"The lab has {hosts.Count} hosts up, the test needs {atLeast}: run the tests with scripts/test.sh");
        return hosts;
    }

    /// <summary>
    /// Creates the test guest (disk on shared storage unless <paramref name="localDisk"/>), running unless
    /// <paramref name="stopped"/>; a <paramref name="hot"/> guest dirties all its memory faster than it can be copied.
    /// </summary>
    public static async Task CreateGuest(LabHost host, string name, bool localDisk = false, bool stopped = false, bool hot = false)
    {
        var args = new List<string> { "guest", host.Name, name };
        if (localDisk) args.Add("--local");
        if (stopped) args.Add("--stopped");
        if (hot) args.Add("--hot");
        await Shell.Run(Repository.Script("lab.sh"), [.. args]);
        if (!stopped) await WaitForTicks(host, name, 1);
    }

    /// <summary>Destroys and undefines the domain on every host.</summary>
    public static void Remove(string name, IEnumerable<LabHost> hosts)
    {
        foreach (var host in hosts)
        {
            using var connection = host.Connect();
            using var d = connection.FindDomain(name);
            if (d is null) continue;
            bool persistent = d.IsPersistent;   // a transient domain is gone once destroyed
            if (d.State.IsActive()) d.Destroy();
            if (persistent) d.Undefine();
        }
    }

    /// <summary>A peer every lab agent is told of (Agent:Peers) at an address where nothing answers: a destination that is down.</summary>
    public static LabHost UnreachablePeer { get; } = new("kvm-gone", "qemu:///nowhere", "qemu+tcp://10.77.0.99/system");

    /// <summary>The disk image of a guest created on shared storage.</summary>
    public static string SharedDisk(string name) => Path.Combine(Root, "shared", name + ".qcow2");

    public static Task WaitForTicks(LabHost host, string name, int count) =>
        Eventually.True(() => SerialCounter.Ticks(host.SerialLog(name)).Count >= count, TimeSpan.FromSeconds(30), $"{count} ticks of {name} on {host.Name}");
}
