using Drover.Contracts.Migrations;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Drover.Coordinator.Observation;

/// <summary>
/// A durable, bounded queue that keeps a copy of every <see cref="MigrationStateChanged"/>: in the RabbitMQ
/// management UI an operator opens it and reads each migration's sequence of states ("Get messages"). Nobody
/// consumes it; past <see cref="MaxLength"/> messages the oldest are dropped. Also removes the queue that earlier
/// coordinators bound to the same exchange, and any other queue of earlier coordinators (<see cref="RetiredQueues"/>).
/// </summary>
public sealed partial class StateChangeQueue(IOptions<RabbitMqOptions> options, ILogger<StateChangeQueue> logger) : IHostedService
{
    public const string Name = "drover-state-changes";
    public const int MaxLength = 10_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var factory = new ConnectionFactory { VirtualHost = o.VirtualHost, UserName = o.Username, Password = o.Password };
        var nodes = o.Nodes.Select(n => new AmqpTcpEndpoint(n.Host, n.Port, BrokerTls.Option(o, n.Host))).ToList();
        await using var connection = await factory.CreateConnectionAsync(nodes, "drover-coordinator-setup", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        // The exchange MassTransit publishes MigrationStateChanged to (declared the same way it does).
        string exchange = MessageUrn.ForTypeString<MigrationStateChanged>().Replace("urn:message:", "");
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(Name, durable: true, exclusive: false, autoDelete: false,
            arguments: o.QueueType == RabbitMqQueueType.Quorum
                ? new Dictionary<string, object?> { ["x-max-length"] = MaxLength, ["x-queue-type"] = "quorum" }
                : new Dictionary<string, object?> { ["x-max-length"] = MaxLength },
            cancellationToken: cancellationToken);
        await channel.QueueBindAsync(Name, exchange, routingKey: "", cancellationToken: cancellationToken);
        LogReady(Name, exchange);
        await RemoveRetiredQueues(connection, cancellationToken);
    }

    /// <summary>Queues of earlier coordinators that nothing consumes any more; left bound, each would keep a copy of what it
    /// was bound to for ever. <c>AdmissionTrigger</c> (before 2026-11-28) took every state change, for admission's wake-up,
    /// now in process; <c>RebalanceChildWatcher</c> (before 2026-11-29) took every migration's outcome, to tell the fleet job
    /// that started it, which the saga now does itself.</summary>
    public static readonly IReadOnlyList<string> RetiredQueues = ["AdmissionTrigger", "RebalanceChildWatcher"];

    private async Task RemoveRetiredQueues(IConnection connection, CancellationToken cancellationToken)
    {
        foreach (string queue in RetiredQueues)
        {
            try
            {
                await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                uint left = await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
                await channel.ExchangeDeleteAsync(queue, ifUnused: false, cancellationToken: cancellationToken);   // MassTransit's exchange in front of it
                if (left > 0) LogRetired(queue, left);   // deleting what is not there is no error
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e)   // not allowed to (rights narrowed by an operator): say so, go on
            {
                LogRetireFailed(queue, e.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} keeps every state change (bound to {Exchange})")]
    private partial void LogReady(string queue, string exchange);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} is no longer used: deleted with {Messages} messages in it")]
    private partial void LogRetired(string queue, uint messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} is no longer used and could not be deleted ({Reason}): delete it by hand")]
    private partial void LogRetireFailed(string queue, string reason);
}
