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
