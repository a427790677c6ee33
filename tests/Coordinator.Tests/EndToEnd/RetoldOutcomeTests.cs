using System.Text;
using Drover.Api;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using Drover.ServiceDefaults;
using Drover.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>
/// A coordinator can die after saving a migration's end and before its outcome leaves (there is no transactional outbox):
/// the broker then delivers the message that ended it again, to whichever coordinator runs. That redelivery, or a request
/// repeated by a requester that heard nothing, tells the outcome again and changes nothing else.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RetoldOutcomeTests(FaultLab lab)
{
    [Fact]
    public async Task A_redelivered_answer_or_a_repeated_request_for_an_ended_migration_tells_its_outcome_again_and_changes_nothing()
    {
        var request = MigrationDriver.Request("retold-" + Guid.NewGuid().ToString("N")[..6], lab.A, lab.B) with { Priority = 500 };
        await lab.Bus.Bus.Publish(request);
        var first = await lab.Bus.Events.WaitFor<MigrationRejected>(r => r.MigrationId == request.MigrationId, TimeSpan.FromSeconds(60));
        Assert.Equal(nameof(MigrateVm.Priority), first.Field);
        var ended = await new MigrationDriver(lab).Final(request.MigrationId);

        // The requester asks again: the same rejection, field and reason.
        await lab.Bus.Bus.Publish(request);
        var again = await Rejections(request.MigrationId, 2);
        Assert.Equal((first.Field, first.Reason), (again[1].Field, again[1].Reason));

        // An agent's late answer delivered for the first time is recorded, and tells nothing.
        var late = new StepFailed
        {
            MigrationId = request.MigrationId, Ticket = Tickets.Valid(), Host = lab.A.Name, Step = nameof(ValidateSource),
            Code = AgentFailureCode.HypervisorError, Reason = "a late answer",
        };
        await using (var agentA = await TestBus.Publisher(Names.AgentUser(lab.A.Name)))
            await agentA.Bus.Publish(late);
        await Eventually.Get(async () => (await View(request.MigrationId)).IgnoredEvents.Count(e => e.Event == nameof(StepFailed)) == 1 ? "recorded" : null,
            TimeSpan.FromSeconds(30), "the late answer recorded as ignored");
        Assert.Equal(2, lab.Bus.Events.All<MigrationRejected>(r => r.MigrationId == request.MigrationId).Count);

        // The same answer delivered again (as after a coordinator died before acknowledging it): the outcome is told again.
        await using (var agentA = await TestBus.Publisher(Names.AgentUser(lab.A.Name)))
            await Redelivered(request.MigrationId, () => agentA.Bus.Publish(late));
        var retold = await Rejections(request.MigrationId, 3);
        Assert.Equal((first.Field, first.Reason), (retold[2].Field, retold[2].Reason));

        var now = await View(request.MigrationId);
        Assert.Equal("Rejected", now.State);
        Assert.Equal(ended.Timeline.Select(t => (t.State, t.At)), now.Timeline.Select(t => (t.State, t.At)));
        Assert.Equal(2, now.IgnoredEvents.Count(e => e.Event == nameof(StepFailed)));
        // The final state change is told again as well, with its original time.
        Assert.Equal(ended.Timeline[^1].At, lab.Bus.Events.All<MigrationStateChanged>(e => e.MigrationId == request.MigrationId && e.State == "Rejected").Last().At);
    }

    private Task<MigrationView> View(Guid id) => lab.Coordinator.Get<MigrationView>($"/api/migrations/{id}");

    private Task<IReadOnlyList<MigrationRejected>> Rejections(Guid id, int count) =>
        Eventually.Get(() => lab.Bus.Events.All<MigrationRejected>(r => r.MigrationId == id) is { } all && all.Count >= count ? all : null,
            TimeSpan.FromSeconds(30), $"{count} MigrationRejected for {id}");

    /// <summary>
    /// Publishes through <paramref name="publish"/> while a consumer of higher priority than the coordinators' holds the
    /// saga queue; it takes the message and closes its channel without acknowledging it, so that the broker hands the
    /// message to a coordinator marked as redelivered — what a coordinator killed while handling it leaves behind. Whatever
    /// else it takes meanwhile goes back the same way.
    /// </summary>
    private static async Task Redelivered(Guid migrationId, Func<Task> publish)
    {
        await using var connection = await new ConnectionFactory
        {
            HostName = "127.0.0.1", Port = Broker.Port, UserName = Broker.User, Password = Broker.Password,
        }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (Encoding.UTF8.GetString(delivery.Body.Span).Contains(migrationId.ToString(), StringComparison.Ordinal)) taken.TrySetResult();
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync("migration-saga", autoAck: false, consumerTag: "", noLocal: false, exclusive: false,
            arguments: new Dictionary<string, object?> { ["x-priority"] = 100 }, consumer);
        await publish();
        await taken.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await channel.CloseAsync();   // unacknowledged: back in the queue, redelivered
    }
}
