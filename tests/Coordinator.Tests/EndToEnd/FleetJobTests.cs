using Drover.Api;
using System.Net.Http.Json;
using System.Text.Json;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Rebalancing;
using Drover.HostAgent.Libvirt;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Rebalance and drain jobs in the three-host lab: guests spread or leave, none lost, none running twice.</summary>
[Collection(FleetCollection.Name)]
public sealed class FleetJobTests(FleetLab lab) : IAsyncLifetime
{
    private readonly string _prefix = "fleet-" + Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _vms = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var vm in _vms) Lab.Remove(vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Rebalancing_spreads_guests_piled_on_one_host_and_keeps_each_running_once()
    {
        var guests = await Guests(lab.A, 3);

        var job = await Run("/api/rebalance", new { strategy = "memory", targetSpreadPoints = 1.0 });

        Assert.Equal("Completed", job.State);
        Assert.True(job.Moves.Count >= 2, $"{job.Moves.Count} moves");
        var where = guests.ToDictionary(vm => vm, vm => RunningOn(vm));
        Assert.All(lab.Hosts, h => Assert.Contains(h.Name, where.Values));   // one guest per host
        foreach (var move in job.Moves.Where(m => guests.Contains(m.Vm)))
            await SerialCounter.AssertContinues(Host(move.From), Host(move.To), move.Vm);
        Assert.True(job.SpreadAfter < job.SpreadBefore);

        // Measured from the heartbeats every host sent after the moves: what the plan predicted.
        var measured = await WaitFor(job.Id, j => j.SpreadMeasured is not null, TimeSpan.FromSeconds(30));
        Assert.Equal(job.SpreadAfter, measured.SpreadMeasured!.Value, 1.0);
    }

    [Fact]
    public async Task Draining_a_host_leaves_it_without_guests()
    {
        var guests = await Guests(lab.B, 2);

        var job = await Run($"/api/hosts/{lab.B.Name}/drain", new { dryRun = false });

        Assert.Equal("Completed", job.State);
        Assert.Empty(job.Unmovable);
        Assert.DoesNotContain(guests, vm => lab.B.StateOf(vm) is { } s && s.IsActive());
        foreach (var vm in guests) Assert.NotEqual(lab.B.Name, RunningOn(vm));
    }

    [Fact]
    public async Task A_dry_run_waits_for_approval_and_cancelling_lets_the_running_move_finish()
    {
        var guests = await Guests(lab.C, 3);
        var accepted = await lab.Coordinator.Http.PostAsJsonAsync("/api/rebalance", new { strategy = "memory", dryRun = true, targetSpreadPoints = 1.0 });
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var planned = await WaitFor(id, j => j.State == "AwaitingApproval");
        Assert.True(planned.Moves.Count >= 2, $"{planned.Moves.Count} moves planned");
        Assert.All(guests, vm => Assert.Equal(lab.C.Name, RunningOn(vm)));   // a dry run moves nothing

        (await lab.Coordinator.Http.PostAsync($"/api/rebalance/{id}/approve", null)).EnsureSuccessStatusCode();
        await WaitFor(id, j => j.Moves.Any(m => m.Status == MoveStatus.Running));
        (await lab.Coordinator.Http.PostAsync($"/api/rebalance/{id}/cancel", null)).EnsureSuccessStatusCode();

        var job = await WaitFor(id, j => j.IsFinal);
        Assert.Equal("Cancelled", job.State);
        Assert.Equal(1, job.Moves.Count(m => m.Status == MoveStatus.Completed));
        Assert.All(job.Moves.Where(m => m.Status != MoveStatus.Completed), m => Assert.Equal(MoveStatus.Skipped, m.Status));
        foreach (var vm in guests) RunningOn(vm);
    }

    [Fact]
    public async Task The_cli_shows_a_dry_run_plan_and_runs_it_when_approved()
    {
        var guests = await Guests(lab.A, 2);

        var (planCode, plan, _) = await DroverCli.Run(lab.Coordinator, "rebalance", "--dry-run", "--target", "1");
        Assert.Equal(0, planCode);
        Assert.Contains("AwaitingApproval", plan);
        Assert.Contains(guests[0][..^2], plan);
        string id = plan.Split(' ')[0];

        var (runCode, run, _) = await DroverCli.Run(lab.Coordinator, "approve", id);

        Assert.Equal(0, runCode);
        Assert.Contains("Completed", run);
        Assert.NotEqual(RunningOn(guests[0]), RunningOn(guests[1]));
    }

    private async Task<List<string>> Guests(LabHost host, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => $"{_prefix}-{i}").ToList();
        _vms.AddRange(names);
        foreach (var vm in names) await Lab.CreateGuest(host, vm);
        await lab.Bus.Events.WaitFor<HostHeartbeat>(h => h.Host == host.Name && names.All(n => h.Domains.Any(d => d.Name == n && d.State == DomainRunState.Running)), TimeSpan.FromSeconds(30));
        await Eventually.True(() => names.All(RunningInInventory), TimeSpan.FromSeconds(30), "the guests running in the coordinator's inventory");
        return names;
    }

    private bool RunningInInventory(string vm) =>
        lab.Coordinator.Get<List<HostView>>("/api/hosts").GetAwaiter().GetResult()
            .Any(h => h.Domains.Any(d => d.Name == vm && d.State == DomainRunState.Running));

    private async Task<RebalanceView> Run(string path, object body)
    {
        var accepted = await lab.Coordinator.Http.PostAsJsonAsync(path, body);
        accepted.EnsureSuccessStatusCode();
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return await WaitFor(id, j => j.IsFinal, TimeSpan.FromMinutes(3));
    }

    private Task<RebalanceView> WaitFor(Guid id, Func<RebalanceView, bool> condition, TimeSpan? timeout = null) =>
        Eventually.Get(() =>
        {
            var response = lab.Coordinator.Http.GetAsync($"/api/rebalance/{id}").GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode) return null;
            var job = response.Content.ReadFromJsonAsync<RebalanceView>(Json.Options).GetAwaiter().GetResult()!;
            return condition(job) ? job : null;
        }, timeout ?? TimeSpan.FromSeconds(90), $"fleet job {id}");

    /// <summary>The one host the guest runs on (fails when it runs on none or on several).</summary>
    private string RunningOn(string vm)
    {
        var hosts = lab.Hosts.Where(h => h.StateOf(vm) == DomainRunState.Running).Select(h => h.Name).ToList();
        Assert.Single(hosts);
        return hosts[0];
    }

    private LabHost Host(string name) => lab.Hosts.Single(h => h.Name == name);
}
