namespace Drover.ServiceDefaults;

/// <summary>
/// The address to send to a named queue. With classic queues, <c>queue:NAME</c>: MassTransit declares the queue it sends
/// to, so a command waits there for an agent that has not started yet. With quorum queues that declaration would be a
/// classic one, which the broker refuses where the quorum queue exists: send to the queue's exchange instead (the
/// receiving process declared the queue, replicated, and bound it to that exchange).
/// </summary>
public static class QueueAddress
{
    /// <summary>Set once, when the bus is configured (<see cref="RabbitMqOptions.QueueType"/>).</summary>
    public static bool Quorum { get; internal set; }

    public static Uri For(string queue) => new(Quorum ? $"exchange:{queue}" : $"queue:{queue}");
}
