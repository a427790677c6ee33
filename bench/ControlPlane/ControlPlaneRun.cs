using Drover.Api;
using System.Collections.Concurrent;
using System.Diagnostics;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using Drover.TestSupport;
using MassTransit;

namespace Drover.ControlPlaneBench;

/// <summary>
/// One configuration: a simulated agent (its hosts and VMs), the coordinators on a fresh database, then <c>N</c> migrations
/// published on the bus as fast as the publisher can — each VM moved again as soon as its previous migration ended (one
/// migration per VM at a time is admission's rule), placement choosing the destination.
/// </summary>
public sealed class ControlPlaneRun(Configuration configuration, BenchOptions options)
{
    private readonly ConcurrentDictionary<Guid, string> _vmOf = new();
    private readonly ConcurrentQueue<Guid> _ids = new();
    private readonly ConcurrentDictionary<string, string> _hostOf = new();
    private readonly ConcurrentDictionary<string, int> _outcomes = new();
    private TaskCompletionSource _allEnded = new();
    private IBus _bus = null!;
    private int _target;
    private int _published;
    private int _ended;

    public async Task<RunResult> Execute()
    {
        var settings = CoordinatorSettings();
        using var agent = SimulatedAgentProcess.Start("sim", options.Hosts, options.Vms, new Dictionary<string, string>
        {
            ["Agent__HeartbeatInterval"] = HeartbeatInterval.ToString("c"),
            ["Agent__ConcurrentCommands"] = "16",
            ["Telemetry__Exporter"] = "None",
        });
        var coordinators = new List<CoordinatorProcess>();
        try
        {
            for (int i = 0; i < configuration.Coordinators; i++) coordinators.Add(await CoordinatorProcess.Start(settings, 5290 + i));
            var hosts = await Eventually.Get(async () =>
            {
                var list = await coordinators[0].Get<List<HostView>>("/api/hosts");
                return list.Count(h => h.Status == HostStatus.Up && h.Domains.Count > 0) == options.Hosts ? list : null;
            }, TimeSpan.FromMinutes(2), $"{options.Hosts} simulated hosts Up (agent log: {agent.LogPath})");
            foreach (var h in hosts)
                foreach (var d in h.Domains) _hostOf[d.Name] = h.Name;

            await using var bus = await TestBus.Start([typeof(MigrationCompleted), typeof(MigrationRejected), typeof(MigrationRolledBack), typeof(MigrationFailed)]);
            _bus = bus.Bus;
            bus.Events.Arrived += OnEvent;

            var processes = Processes(coordinators, agent);
            // Warm-up, unmeasured: the same migrations, so that what is measured is a coordinator's steady state. A coordinator
            // just started compiles its code again, optimised, once it runs hot (perf, the first 5,000 of a cold start: a
            // quarter of its CPU on its tiered compilation thread), which a coordinator that runs for weeks pays once.
            var warmUp = await Wave(options.WarmUp, processes);
            var measured = await Wave(options.Migrations, processes);
            bus.Events.Arrived -= OnEvent;
            // Idle after the run, not before it: a coordinator just started spends three quarters of its CPU compiling its
            // code (perf: libclrjit), which made an idle fleet look several times as dear per heartbeat as it is.
            var idle = await IdleCostPerHeartbeat(processes);

            var (steps, all, endToEnd) = await Latencies(coordinators[0], _ids.ToList());
            return new RunResult(configuration, measured, steps, all, endToEnd, idle, warmUp);
        }
        finally
        {
            foreach (var c in coordinators) c.Dispose();
        }
    }

    /// <summary>N migrations, each VM moved again as soon as its last one ended, until all have ended (or the timeout): how
    /// long they took and the CPU each process spent meanwhile. Outcomes and ids are the wave's own.</summary>
    private async Task<WaveResult> Wave(int count, Dictionary<string, (int Pid, bool WithChildren)> processes)
    {
        _outcomes.Clear();
        _ids.Clear();
        _ended = 0;
        _published = 0;
        _target = count;
        _allEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = processes.ToDictionary(p => p.Key, p => ProcessCpu.Milliseconds(p.Value.Pid, p.Value.WithChildren));
        var clock = Stopwatch.StartNew();
        if (count > 0)
        {
            await Task.WhenAll(_hostOf.Keys.Take(count).Select(Publish));
            try
            {
                await _allEnded.Task.WaitAsync(options.Timeout);
            }
            catch (TimeoutException)
            {
                _outcomes["no outcome within the timeout"] = _published - _ended;
            }
        }
        var elapsed = clock.Elapsed;
        return new WaveResult(count, new Dictionary<string, int>(_outcomes), elapsed,
            processes.ToDictionary(p => p.Key, p => ProcessCpu.Milliseconds(p.Value.Pid, p.Value.WithChildren) - before[p.Key]));
    }

    /// <summary>After the migrations, warm: the CPU the coordinators, the broker and the database spend while the fleet only
    /// heartbeats (every host each <see cref="HeartbeatInterval"/>), per heartbeat — what grows with the number of hosts.</summary>
    private async Task<double> IdleCostPerHeartbeat(Dictionary<string, (int Pid, bool WithChildren)> processes)
    {
        var window = IdleWindow;
        var measured = processes.Where(p => p.Key is not ("simulated agent" or "publisher")).ToList();
        double before = measured.Sum(p => ProcessCpu.Milliseconds(p.Value.Pid, p.Value.WithChildren));
        await Task.Delay(window);
        double spent = measured.Sum(p => ProcessCpu.Milliseconds(p.Value.Pid, p.Value.WithChildren)) - before;
        return spent / (options.Hosts * window.TotalSeconds / HeartbeatInterval.TotalSeconds);
    }

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(20);

    private Dictionary<string, (int Pid, bool WithChildren)> Processes(List<CoordinatorProcess> coordinators, SimulatedAgentProcess agent)
    {
        var processes = new Dictionary<string, (int, bool)>();
        for (int i = 0; i < coordinators.Count; i++) processes[$"coordinator {i + 1}"] = (coordinators[i].Pid, false);
        processes["simulated agent"] = (agent.Pid, false);
        processes["broker"] = (options.BrokerPid, true);
        if (configuration.Postgres) processes["postgres"] = (options.PostgresPid, true);
        processes["publisher"] = (Environment.ProcessId, false);
        return processes;
    }

    private IReadOnlyDictionary<string, string> CoordinatorSettings()
    {
        string run = $"cp{DateTime.UtcNow:HHmmss}";
        var settings = new Dictionary<string, string>
        {
            // One simulated agent process speaks for every simulated host with one broker user: the coordinators take its
            // word (never in production: Security:AgentOrigin).
            ["Security__AgentOrigin"] = "Unchecked",
            ["Telemetry__Exporter"] = "None",
            ["Migrations__SweepInterval"] = "00:00:01",
            ["Migrations__StepTimeout"] = "00:00:30",
            ["Migrations__HostDownAfter"] = "00:00:15",
            ["Migrations__MaxConcurrent"] = options.MaxConcurrent.ToString(),
            ["Migrations__MaxOutgoingPerHost"] = options.PerHost.ToString(),
            ["Migrations__MaxIncomingPerHost"] = options.PerHost.ToString(),
        };
        if (configuration.Postgres)
        {
            settings["Database__Provider"] = "Postgres";
            settings["Database__ConnectionString"] = $"Host=127.0.0.1;Port={Postgres.Port};Username=postgres;Database=drover_{run}";
        }
        else
        {
            settings["Database__Provider"] = "Sqlite";
            settings["Database__DataDirectory"] = Path.Combine(options.WorkDirectory, run);
        }
        return settings;
    }

    private Task Publish(string vm)
    {
        var id = NewId.NextGuid();
        _vmOf[id] = vm;
        _ids.Enqueue(id);
        Interlocked.Increment(ref _published);
        return _bus.Publish(new MigrateVm { MigrationId = id, Vm = vm, SourceHost = _hostOf[vm], RequestedBy = "bench/control-plane" });
    }

    private void OnEvent(object e)
    {
        var (id, outcome, movedTo) = e switch
        {
            MigrationCompleted c => (c.MigrationId, "completed", c.DestinationHost),
            MigrationRejected r => (r.MigrationId, "rejected", null),
            MigrationRolledBack b => (b.MigrationId, "rolled back", null),
            MigrationFailed f => (f.MigrationId, f.NeedsAttention ? "needs attention" : "failed", null),
            _ => (Guid.Empty, "", null),
        };
        if (!_vmOf.TryRemove(id, out var vm)) return;   // another run's, or told twice
        _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        if (movedTo is not null) _hostOf[vm] = movedTo;
        if (Interlocked.Increment(ref _ended) >= _target) _allEnded.TrySetResult();
        else if (Interlocked.CompareExchange(ref _published, 0, 0) < _target) _ = Publish(vm);
    }

    /// <summary>From the saga rows (through the API): each step's time (the saga's time in each state) and the whole migration's.</summary>
    private static async Task<(Dictionary<string, (double, double)>, (double, double), (double, double))> Latencies(CoordinatorProcess coordinator, List<Guid> ids)
    {
        var views = new ConcurrentBag<MigrationView>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (id, _) => views.Add(await coordinator.Get<MigrationView>($"/api/migrations/{id}")));
        var byStep = views.SelectMany(v => v.StepDurationsMs).GroupBy(kv => kv.Key)
            .ToDictionary(g => g.Key, g => Percentiles(g.Select(kv => (double)kv.Value)));
        var all = Percentiles(views.SelectMany(v => v.StepDurationsMs.Values).Select(ms => (double)ms));
        var endToEnd = Percentiles(views.Where(v => v.TotalDurationMs is not null).Select(v => (double)v.TotalDurationMs!.Value));
        return (byStep, all, endToEnd);
    }

    private static (double P50, double P99) Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return (0, 0);
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return (At(0.50), At(0.99));
    }
}
