using Drover.Api;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Hosts;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>The inventory from heartbeats: placement when no destination is given, and hosts whose agent stopped.</summary>
[Collection(SqliteCollection.Name)]
public sealed class InventoryTests(SqliteMigrationLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "inv-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (lab.Agents.Any(a => a.HasExited)) await lab.RestartAgent(lab.Agents.First(a => a.HasExited).Host);
        Lab.Remove(_vm, lab.Hosts);
    }

    [Fact]
    public async Task Without_a_destination_placement_chooses_a_host_and_records_why()
    {
        await Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, to: null);

        var done = await _driver.Expect<MigrationCompleted>(request);

        Assert.Equal(lab.B.Name, done.DestinationHost);
        var saga = await lab.Coordinator.Get<MigrationView>($"/api/migrations/{request.MigrationId}");
        Assert.Contains("most room", saga.PlacementReason);
        Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
    }

    [Fact]
    public async Task A_host_whose_agent_stopped_is_marked_down_and_never_chosen()
    {
        await Lab.CreateGuest(lab.A, _vm);
        lab.Agents.First(a => a.Host == lab.B).Kill();

        await Eventually.True(() => lab.StatusOf(lab.B) == HostStatus.Down, TimeSpan.FromSeconds(30), $"{lab.B.Name} to be marked Down");
        var named = await _driver.Expect<MigrationRejected>(MigrationDriver.Request(_vm, lab.A, lab.B));
        var placed = await _driver.Expect<MigrationRejected>(MigrationDriver.Request(_vm, lab.A, to: null));

        Assert.Contains($"Host '{lab.B.Name}' is down", named.Reason);
        Assert.Contains($"{lab.B.Name}: down", placed.Reason);
        Invariants.RunsOnlyOn(lab.A, _vm, lab.Hosts);
    }
}
