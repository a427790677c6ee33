using Drover.Api;
using Drover.Contracts.Migrations;
using System.Text.Json;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>The drover command line against the running coordinator: output, JSON and exit codes.</summary>
[Collection(SqliteCollection.Name)]
public sealed class CliTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly string _vm = "cli-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Migrate_with_watch_follows_the_migration_and_exits_0_with_the_downtime()
    {
        await Lab.CreateGuest(lab.A, _vm);

        var (code, output, _) = await Drover("migrate", _vm, "--from", lab.A.Name, "--to", lab.B.Name, "--live", "--watch");

        Assert.Equal(0, code);
        Assert.Contains("Completed", output);
        Assert.Matches(@"downtime \d+ ms", output);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
    }

    [Fact]
    public async Task A_vm_moved_without_naming_its_source_is_found_by_name_and_prefix_with_its_timeline_and_history()
    {
        await Lab.CreateGuest(lab.A, _vm);
        await lab.RunningInInventory(lab.A, _vm);

        var (code, output, error) = await Drover("migrate", _vm, "--to", lab.B.Name, "--watch");
        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);

        // The API keeps what was asked and every state with its time, the same states the bus announced.
        var view = Assert.Single(await lab.Coordinator.Get<List<MigrationView>>($"/api/migrations?vm={_vm}"));
        Assert.Equal(lab.A.Name, view.SourceHost);
        Assert.Equal("admin", view.RequestedBy);   // the identity of the key the CLI used (Api:Key), never a name the CLI makes up
        var announced = await Eventually.Get(() => lab.Bus.Events.All<MigrationStateChanged>(c => c.MigrationId == view.Id) is { } c && c.Any(x => x.State == "Completed") ? c : null,
            TimeSpan.FromSeconds(10), "the Completed state change on the bus");
        Assert.Equal(announced.OrderBy(c => c.At).Select(c => c.State), view.Timeline.Select(t => t.State));
        Assert.Equal(view.Timeline.OrderBy(t => t.At).Select(t => t.At), view.Timeline.Select(t => t.At));

        // Named by its VM or by the first characters of its id, as the dashboard shows them.
        foreach (var reference in new[] { _vm, view.Id.ToString()[..8] })
        {
            var (statusCode, status, _) = await Drover("status", reference);
            Assert.Equal(0, statusCode);
            Assert.Contains(view.Id.ToString(), status);
            Assert.Contains("timeline:", status);
            Assert.Matches(@"TransferringMemory[\s\S]*CuttingOver[\s\S]*Completed", status);
        }
        var (historyCode, history, _) = await Drover("history", _vm);
        Assert.Equal(0, historyCode);
        Assert.Contains(view.Id.ToString(), history);

        // vms lists it on its new host once the heartbeats say so; hosts counts VMs instead of naming them.
        await Eventually.True(() => Drover("vms", "--host", lab.B.Name).GetAwaiter().GetResult().Output.Split('\n')
            .Any(l => l.Contains(_vm) && l.Contains("running")), TimeSpan.FromSeconds(30), $"{_vm} running on {lab.B.Name} in drover vms");
        var (hostsCode, hosts, _) = await Drover("hosts");
        Assert.Equal(0, hostsCode);
        Assert.Contains(lab.B.Name, hosts);
        Assert.DoesNotContain(_vm, hosts);

        // Tab completion reads host names from the coordinator.
        string line = $"drover migrate {_vm} --to {lab.B.Name[..^1]}";
        var (suggestCode, suggestions, _) = await Drover($"[suggest:{line.Length}]", line);
        Assert.Equal(0, suggestCode);
        Assert.Contains(lab.B.Name, suggestions.Split('\n').Select(s => s.Trim()));
    }

    [Fact]
    public async Task Status_json_and_hosts_show_what_the_api_has()
    {
        var (code, output, _) = await Drover("hosts", "--json");
        Assert.Equal(0, code);
        var hosts = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(h => h.GetProperty("name").GetString()).ToList();
        Assert.Contains(lab.A.Name, hosts);

        var (listCode, list, _) = await Drover("status", "--json");
        Assert.Equal(0, listCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(list).RootElement.ValueKind);
    }

    [Fact]
    public async Task A_bad_request_exits_3_with_the_coordinators_reason()
    {
        var (code, _, error) = await Drover("migrate", _vm, "--from", lab.A.Name, "--to", lab.A.Name);

        Assert.Equal(3, code);
        Assert.Contains("is the source host", error);
    }

    [Fact]
    public async Task Bad_usage_exits_2_and_an_unreachable_coordinator_exits_6()
    {

        var (usage, _, usageError) = await Drover("migrate", _vm, "--from", lab.A.Name, "--bandwidth", "fast");
        Assert.Equal(2, usage);
        Assert.Contains("--bandwidth takes a whole number", usageError);

        var (unreachable, _, unreachableError) = await Drover("status", "--url", "http://127.0.0.1:9");
        Assert.Equal(6, unreachable);
        Assert.Contains("cannot reach the coordinator", unreachableError);
    }

    private Task<(int Code, string Output, string Error)> Drover(params string[] args) => DroverCli.Run(lab.Coordinator, args);
}
