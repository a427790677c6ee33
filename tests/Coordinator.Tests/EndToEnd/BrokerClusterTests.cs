using Drover.Api;
using System.Net.Http.Json;
using Drover.Coordinator.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>A broker that survives losing a node: every Drover queue is a quorum queue and every process knows every node.</summary>
public sealed class BrokerClusterTests(BrokerClusterLab lab) : IClassFixture<BrokerClusterLab>
{
    [Fact]
    public async Task A_live_migration_completes_while_the_node_every_process_connected_to_is_stopped_and_started_again()
    {
        const string vm = "cluster01";
        var (source, destination) = (lab.Hosts[0], lab.Hosts[1]);
        await Lab.CreateGuest(source, vm);
        try
        {
            await Lab.WaitForTicks(source, vm, 2);
            var response = await lab.Coordinator.Http.PostAsJsonAsync("/api/migrations",
                new { vm, sourceHost = source.Name, destinationHost = destination.Name, kind = "live", bandwidthMiBps = 8, maxDowntimeMs = 1000 });
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
            var transferring = await Eventually.Get(async () => await View(id) is { State: nameof(MigrationStatus.TransferringMemory), DataProcessedBytes: > 0 } v ? v : null,
                TimeSpan.FromSeconds(60), "the transfer under way");

            await lab.Cluster.StopNode(1);
            // Progress still reaches the saga: the agent and the coordinator moved to the nodes left.
            await Eventually.Get(async () => await View(id) is { } v && (v.DataProcessedBytes > transferring.DataProcessedBytes || v.IsFinal) ? v : null,
                TimeSpan.FromSeconds(60), "progress through the two nodes left");
            await lab.Cluster.StartNode(1);

            var final = await Eventually.Get(async () => await View(id) is { IsFinal: true } v ? v : null, TimeSpan.FromSeconds(120), "the migration to end");
            Assert.Equal(nameof(MigrationStatus.Completed), final.State);
            Assert.Equal(1, final.Attempt);
            Invariants.RunsOnlyOn(destination, vm, lab.Hosts);
            await SerialCounter.AssertContinues(source, destination, vm);
        }
        finally
        {
            Lab.Remove(vm, lab.Hosts);
        }
    }

    /// <summary>The saga as the API shows it; null until the request has reached it (the API answers 202 first).</summary>
    private async Task<MigrationView?> View(Guid id)
    {
        using var response = await lab.Coordinator.Http.GetAsync($"/api/migrations/{id}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MigrationView>(Json.Options);
    }
}
