using System.Diagnostics;
using Drover.AgentBench;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Hosts;
using Drover.Contracts.Migrations;
using Drover.TestSupport;

// Live-migrates the lab guest back and forth, alternating Drover and `virsh migrate --live --p2p --unsafe`, so
// that both see the same machine at the same moment. Mode "agent": the host agent alone (TransferMemory over
// the bus); mode "drover": the whole saga through the coordinator (publish MigrateVm, wait for MigrationCompleted);
// mode "copy": the whole saga with storage copy of a 256 MiB disk on the host's own storage, against
// `virsh migrate --live --p2p --copy-storage-all` (given the empty image on the destination, which it cannot make
// without a storage pool; that qemu-img run is timed with it).
string mode = args.Length > 0 ? args[0] : "agent";
int rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
var hosts = (await Lab.Hosts(2)).Take(2).ToArray();
await using var bus = await TestBus.Start([typeof(SourceValidated), typeof(DomainDefined), typeof(MemoryTransferred), typeof(DomainUndefined),
    typeof(CutOverCompleted), typeof(StepFailed), typeof(HostHeartbeat), typeof(MigrationCompleted), typeof(MigrationRejected),
    typeof(MigrationRolledBack), typeof(MigrationFailed)]);
using var coordinator = mode is "drover" or "copy"
    ? await CoordinatorProcess.Start(new Dictionary<string, string> { ["Database__DataDirectory"] = Path.Combine(Path.GetTempPath(), "drover-bench-" + Guid.NewGuid().ToString("N")[..8]) }, 5190)
    : null;
var agents = hosts.Select(h => AgentProcess.Start(h)).ToList();
try
{
    foreach (var host in hosts) await bus.Events.WaitFor<HostHeartbeat>(h => h.Host == host.Name, TimeSpan.FromSeconds(60));
    const string vm = "bench01";
    Lab.Remove(vm, hosts);
    bool copy = mode == "copy";
    await Lab.CreateGuest(hosts[0], vm, localDisk: copy, stopped: copy);
    var runner = new Migrations(bus, vm);
    if (copy) await runner.FillLocalDisk(hosts[0]);
    foreach (var host in hosts) await bus.Events.WaitFor<HostHeartbeat>(h => h.Host == host.Name && h.Domains.Any(d => d.Name == vm) == (host == hosts[0]), TimeSpan.FromSeconds(60));
    var times = new Dictionary<string, List<double>> { [mode] = [], ["virsh"] = [] };
    int at = 0;
    for (int i = 0; i < rounds * 2; i++)
    {
        string tool = (i / 2 + i) % 2 == 0 ? mode : "virsh";
        var (from, to) = (hosts[at], hosts[1 - at]);
        if (copy) File.Delete(runner.LocalImage(to));   // the image the VM left there last time: both tools start from none
        double seconds = (tool, copy) switch
        {
            ("agent", _) => await runner.ByAgent(from, to),
            ("virsh", false) => await runner.ByVirsh(from, to),
            ("virsh", true) => await runner.ByVirshCopy(from, to),
            _ => await runner.ByDrover(from, to, copy),
        };
        Invariants.RunsOnlyOn(to, vm, hosts);
        times[tool].Add(seconds);
        Console.WriteLine($"{tool,-5} {from.Name} -> {to.Name}: {seconds:0.000} s");
        at = 1 - at;
    }
    Lab.Remove(vm, hosts);
    if (copy) foreach (var host in hosts) File.Delete(runner.LocalImage(host));
    double ours = Median(times[mode]), virsh = Median(times["virsh"]);
    Console.WriteLine($"{mode} median: {ours:0.000} s over {times[mode].Count} migrations");
    Console.WriteLine($"virsh median: {virsh:0.000} s over {times["virsh"].Count} migrations");
    Console.WriteLine($"{mode}/virsh ratio: {ours / virsh:0.00}");
}
finally
{
    foreach (var agent in agents) agent.Dispose();
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

namespace Drover.AgentBench
{
    /// <summary>One live migration each way: through the agent, or through virsh.</summary>
    internal sealed class Migrations(TestBus bus, string vm)
    {
        public async Task<double> ByAgent(LabHost from, LabHost to)
        {
            var id = Guid.NewGuid();
            await bus.SendToAgent(from.Name, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = id, Domain = vm, Kind = MigrationKind.Live });
            var source = await bus.Events.WaitFor<SourceValidated>(e => e.MigrationId == id);
            await bus.SendToAgent(to.Name, new DefineDomain { Ticket = Tickets.Valid(), MigrationId = id, DomainName = vm, DomainUuid = source.DomainUuid, MigratableXml = source.MigratableXml });
            await bus.Events.WaitFor<DomainDefined>(e => e.MigrationId == id);

            var clock = Stopwatch.StartNew();
            await bus.SendToAgent(from.Name, new TransferMemory
            { Ticket = Tickets.Valid(),
                MigrationId = id, DomainName = vm, Kind = MigrationKind.Live, DestinationHost = to.Name,
                DestinationMigrationUri = to.MigrationUri, StorageVerified = true,
            });
            var outcome = await Eventually.Get(() => bus.Events.All<object>().FirstOrDefault(e =>
                e is MemoryTransferred t && t.MigrationId == id || e is StepFailed f && f.MigrationId == id), TimeSpan.FromSeconds(120), "the transfer");
            double seconds = clock.Elapsed.TotalSeconds;
            if (outcome is StepFailed failed) throw new InvalidOperationException($"the agent's transfer failed: {failed.Reason}");

            // Leave the destination as virsh does: transient there, defined on the source.
            await bus.SendToAgent(to.Name, new CutOver { Ticket = Tickets.Valid(), MigrationId = id, DomainName = vm, Kind = MigrationKind.Live, Persistent = false });
            await bus.Events.WaitFor<CutOverCompleted>(e => e.MigrationId == id);
            return seconds;
        }

        public async Task<double> ByDrover(LabHost from, LabHost to, bool copyStorage = false)
        {
            var request = new MigrateVm { MigrationId = Guid.NewGuid(), Vm = vm, SourceHost = from.Name, DestinationHost = to.Name, CopyStorage = copyStorage };
            var clock = Stopwatch.StartNew();
            await bus.Bus.Publish(request);
            var outcome = await Eventually.Get(() => bus.Events.All<object>().FirstOrDefault(e => e switch
            {
                MigrationCompleted c => c.MigrationId == request.MigrationId,
                MigrationRejected r => r.MigrationId == request.MigrationId,
                MigrationRolledBack b => b.MigrationId == request.MigrationId,
                MigrationFailed f => f.MigrationId == request.MigrationId,
                _ => false,
            }), TimeSpan.FromSeconds(120), "the migration's outcome");
            double seconds = clock.Elapsed.TotalSeconds;
            if (outcome is not MigrationCompleted) throw new InvalidOperationException($"the migration did not complete: {outcome}");
            return seconds;
        }

        public const long DiskBytes = 256L << 20;

        /// <summary>The guest's image on the host's own storage, as the machine sees it.</summary>
        public string LocalImage(LabHost host) => Path.Combine(host.LocalDirectory, "images", vm + ".qcow2");

        /// <summary>Makes the (stopped) guest's local disk 256 MiB of random data behind its boot sector, then starts it.</summary>
        public async Task FillLocalDisk(LabHost host)
        {
            string image = LocalImage(host), raw = image + ".raw";
            await Shell.Run("qemu-img", "convert", "-f", "qcow2", "-O", "raw", image, raw);
            await using (var file = new FileStream(raw, FileMode.Open, FileAccess.Write))
            {
                var random = new Random(1);
                var buffer = new byte[1 << 20];
                for (file.Position = 1 << 20; file.Position < DiskBytes;)
                {
                    random.NextBytes(buffer);
                    await file.WriteAsync(buffer);
                }
            }
            await Shell.Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, image);
            File.Delete(raw);
            using var connection = host.Connect();
            using var domain = connection.FindDomain(vm)!;
            domain.Start();
        }

        public async Task<double> ByVirshCopy(LabHost from, LabHost to)
        {
            var clock = Stopwatch.StartNew();
            await Shell.Run("qemu-img", "create", "-q", "-f", "qcow2", LocalImage(to), DiskBytes.ToString());
            await Shell.Run("virsh", "-q", "-c", from.LibvirtUri, "migrate", "--live", "--p2p", "--copy-storage-all", vm, to.MigrationUri);
            return clock.Elapsed.TotalSeconds;
        }

        public async Task<double> ByVirsh(LabHost from, LabHost to)
        {
            var clock = Stopwatch.StartNew();
            await Shell.Run("virsh", "-q", "-c", from.LibvirtUri, "migrate", "--live", "--p2p", "--unsafe", vm, to.MigrationUri);
            return clock.Elapsed.TotalSeconds;
        }
    }
}
