using Drover.Contracts.Migrations;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Drover.Coordinator.Observation;

/// <summary>
/// A durable, bounded queue that keeps a copy of every <see cref="MigrationStateChanged"/>: in the RabbitMQ
/// management UI an operator opens it and reads each migration's sequence of states ("Get messages"). Nobody
/// consumes it; past <see cref="MaxLength"/> messages the oldest are dropped.
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
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue} keeps every state change (bound to {Exchange})")]
    private partial void LogReady(string queue, string exchange);
}
