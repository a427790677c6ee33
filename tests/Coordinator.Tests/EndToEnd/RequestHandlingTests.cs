using System.Net.Http.Json;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Duplicates, concurrent requests for one VM, bad requests, cancellation, and admission limits.</summary>
[Collection(SqliteCollection.Name)]
public sealed class RequestHandlingTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "req-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _extraVms = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var vm in _extraVms.Append(_vm)) Lab.Remove(vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_same_request_delivered_twice_runs_one_migration()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B);

        await lab.Bus.Bus.Publish(request);
        await lab.Bus.Bus.Publish(request);
        await _driver.Expect<MigrationCompleted>(request);

        await Eventually.True(() => _driver.States(request.MigrationId).Contains("Completed"), TimeSpan.FromSeconds(10), "Completed");
        Assert.Single(lab.Bus.Events.All<MigrationCompleted>(c => c.MigrationId == request.MigrationId));
        Assert.Single(lab.Bus.Events.All<SourceValidated>(v => v.MigrationId == request.MigrationId));
        Assert.Single(_driver.States(request.MigrationId), s => s == "Queued");
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
    }

    [Fact]
    public async Task A_cancel_on_the_bus_for_a_migration_nobody_knows_is_answered_with_a_reason_and_starts_nothing()
    {
        var id = Guid.NewGuid();

        await lab.Bus.Bus.Publish(new CancelMigration { MigrationId = id });

        var refused = await lab.Bus.Events.WaitFor<CancellationRefused>(r => r.MigrationId == id, TimeSpan.FromSeconds(30));
        Assert.Contains($"No migration {id}", refused.Reason);
        Assert.Null(await _driver.View(id));
    }

    [Fact]
    public async Task Two_migrations_of_one_vm_at_once_run_one_and_reject_the_other_with_a_reason()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var first = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 16 };
        var second = MigrationDriver.Request(_vm, lab.A, lab.B);

        await lab.Bus.Bus.Publish(first);
        await _driver.WaitForState(first.MigrationId, "ValidatingStorage");
        var rejected = await _driver.Expect<MigrationRejected>(second);

        Assert.Contains("already being migrated", rejected.Reason);
        Assert.IsType<MigrationCompleted>(await _driver.Outcome(first.MigrationId));
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
    }

    public static TheoryData<string, MigrateVm, string> BadRequests()
    {
        MigrateVm Ok() => new() { MigrationId = Guid.NewGuid(), Vm = "web01", SourceHost = "kvm-a", DestinationHost = "kvm-b" };
        return new TheoryData<string, MigrateVm, string>
        {
            { "empty name", Ok() with { Vm = "" }, "Vm is required" },
            { "oversized name", Ok() with { Vm = new string('v', 65) }, "at most 64" },
            { "xml in the name", Ok() with { Vm = "<domain/>" }, "may contain only" },
            { "empty source", Ok() with { SourceHost = "" }, "SourceHost is required" },
            { "bad source name", Ok() with { SourceHost = "KVM A" }, "is not a host name" },
            { "bad destination name", Ok() with { DestinationHost = "kvm_b;rm" }, "is not a host name" },
            { "source is destination", Ok() with { DestinationHost = "kvm-a" }, "is the source host" },
            { "unknown source host", Ok() with { SourceHost = "kvm-nowhere" }, "Unknown host 'kvm-nowhere'" },
            { "unknown destination host", Ok() with { DestinationHost = "kvm-nowhere" }, "Unknown host 'kvm-nowhere'" },
            { "unknown kind", Ok() with { Kind = (MigrationKind)7 }, "Kind 7 is unknown" },
            { "zero bandwidth", Ok() with { BandwidthMiBps = 0 }, "BandwidthMiBps must be positive" },
            { "negative bandwidth", Ok() with { BandwidthMiBps = -5 }, "BandwidthMiBps must be positive" },
            { "negative downtime", Ok() with { MaxDowntimeMs = -1 }, "MaxDowntimeMs must be positive" },
            { "post-copy for non-live", Ok() with { Kind = MigrationKind.NonLive, PostCopyAllowed = true }, "live migrations only" },
            { "bandwidth for offline", Ok() with { Kind = MigrationKind.Offline, BandwidthMiBps = 10 }, "offline migration moves no memory" },
            { "priority out of range", Ok() with { Priority = 1000 }, "Priority must be between" },
            { "empty migration id", Ok() with { MigrationId = Guid.Empty }, "MigrationId is required" },
            { "source undefined, destination transient", Ok() with { UndefineSource = true }, "add Persistent" },
            { "attempts out of range", Ok() with { MaxAttempts = 0 }, "MaxAttempts must be between 1 and 10" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_rejected_with_a_specific_reason_and_no_agent_is_asked(string why, MigrateVm request, string reason)
    {
        Assert.NotEmpty(why);
        var id = request.MigrationId;
        await lab.Bus.Bus.Publish(request);

        var rejected = id == Guid.Empty
            ? await lab.Bus.Events.WaitFor<MigrationRejected>(r => r.MigrationId == Guid.Empty && r.Reason.Contains(reason))
            : await lab.Bus.Events.WaitFor<MigrationRejected>(r => r.MigrationId == id);

        Assert.Contains(reason, rejected.Reason);
        Assert.Empty(lab.Bus.Events.All<object>(e => e is SourceValidated v && v.MigrationId == id || e is StepFailed f && f.MigrationId == id));
    }

    [Fact]
    public async Task Offline_for_a_running_vm_and_live_for_a_local_disk_are_rejected_before_any_agent_is_asked()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true);
        await Eventually.True(() => lab.Bus.Events.All<Contracts.Hosts.HostHeartbeat>(h => h.Host == lab.A.Name && h.Domains.Any(d => d.Name == _vm)).Count > 0,
            TimeSpan.FromSeconds(30), "the VM in a heartbeat");

        var offline = await _driver.Expect<MigrationRejected>(MigrationDriver.Request(_vm, lab.A, lab.B, MigrationKind.Offline));
        var live = await _driver.Expect<MigrationRejected>(MigrationDriver.Request(_vm, lab.A, lab.B));

        Assert.Contains("offline migration needs it shut off", offline.Reason);
        Assert.Contains("is not on storage", live.Reason);
        Assert.Empty(lab.Bus.Events.All<SourceValidated>(v => v.MigrationId == offline.MigrationId || v.MigrationId == live.MigrationId));
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
    }

    [Fact]
    public async Task Cancelling_during_the_memory_transfer_aborts_it_and_the_vm_stays_on_the_source()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 4 };
        await _driver.StartTransfer(request);

        var response = await lab.Coordinator.Http.PostAsync($"/api/migrations/{request.MigrationId}/cancel", null);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var outcome = Assert.IsType<MigrationRolledBack>(await _driver.Outcome(request.MigrationId));
        Assert.True(outcome.Cancelled);
        await _driver.WaitForState(request.MigrationId, "Cancelled");
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
        Assert.Null(lab.B.StateOf(_vm));
    }

    [Fact]
    public async Task Six_migrations_asked_at_once_respect_the_per_host_limits_and_a_queued_one_can_be_cancelled()
    {
        var vms = Enumerable.Range(0, 6).Select(i => $"{_vm}-{i}").ToList();
        _extraVms.AddRange(vms);
        foreach (var vm in vms) await Lab.CreateGuest(lab.A, vm);
        var requests = vms.Select(vm => MigrationDriver.Request(vm, lab.A, lab.B) with { BandwidthMiBps = 64 }).ToList();

        foreach (var r in requests) await lab.Bus.Bus.Publish(r);
        var last = requests[^1];
        await _driver.WaitForState(last.MigrationId, "Queued");
        // Admission writes why it waits on its row: the API shows the limit that holds it.
        var waiting = await Eventually.Get(async () => await _driver.View(last.MigrationId) is { QueueReason: { } r } ? r : null,
            TimeSpan.FromSeconds(30), "the queued migration's reason");
        Assert.Contains("limit", waiting);
        await lab.Bus.Bus.Publish(new CancelMigration { MigrationId = last.MigrationId });
        var outcomes = new List<object>();
        foreach (var r in requests) outcomes.Add(await _driver.Outcome(r.MigrationId, TimeSpan.FromMinutes(4)));

        Assert.All(outcomes.SkipLast(1), o => Assert.IsType<MigrationCompleted>(o));
        Assert.Equal(2, MaxConcurrent(requests.Select(r => r.MigrationId)));
        foreach (var vm in vms.SkipLast(1)) Invariants.RunsOnlyOn(lab.B, vm, lab.Hosts);
        if (outcomes[^1] is MigrationRolledBack { Cancelled: true }) Invariants.RunsOnlyOn(lab.A, vms[^1], lab.Hosts);
    }

    /// <summary>The most migrations that were between admission and their end at the same time, from their state changes.</summary>
    private int MaxConcurrent(IEnumerable<Guid> ids)
    {
        var edges = ids.SelectMany(id =>
        {
            var changes = lab.Bus.Events.All<MigrationStateChanged>(e => e.MigrationId == id).ToList();
            var start = changes.FirstOrDefault(e => e.State == "ValidatingStorage")?.At;
            var end = changes.FirstOrDefault(e => MigrationDriver.FinalStates.Contains(e.State))?.At;
            return start is null || end is null ? [] : new[] { (At: start.Value, Delta: 1), (At: end.Value, Delta: -1) };
        }).OrderBy(e => e.At).ThenBy(e => e.Delta);
        int now = 0, max = 0;
        foreach (var e in edges) max = Math.Max(max, now += e.Delta);
        return max;
    }

    [Fact]
    public async Task A_migration_id_reused_with_another_request_is_a_conflict_that_names_the_fields()
    {
        var id = Guid.NewGuid();
        var first = new { migrationId = id, vm = "conflict01", sourceHost = "kvm-nowhere", destinationHost = lab.B.Name, kind = "live" };
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await lab.Coordinator.Http.PostAsJsonAsync("/api/migrations", first)).StatusCode);
        await Eventually.Get(async () => await _driver.View(id), TimeSpan.FromSeconds(30), $"migration {id} recorded");

        var again = await lab.Coordinator.Http.PostAsJsonAsync("/api/migrations", first);
        var other = await lab.Coordinator.Http.PostAsJsonAsync("/api/migrations",
            new { migrationId = id, vm = "conflict02", sourceHost = "kvm-nowhere", destinationHost = lab.B.Name, kind = "non-live" });

        Assert.Equal(System.Net.HttpStatusCode.Accepted, again.StatusCode);   // the same request twice is one migration
        Assert.Equal(System.Net.HttpStatusCode.Conflict, other.StatusCode);
        var problem = await other.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(["vm", "kind"], problem.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }
}
