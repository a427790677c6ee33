namespace Drover.ServiceDefaults;

/// <summary>
/// The address to send to a named queue, declared as this process's bus declares its queues: MassTransit declares the
/// queue it sends to, and declaring a classic queue where a quorum one exists is refused by the broker.
/// </summary>
public static class QueueAddress
{
    /// <summary>Set once, when the bus is configured (<see cref="RabbitMqOptions.QueueType"/>).</summary>
    public static bool Quorum { get; internal set; }

    public static Uri For(string queue) => new(Quorum ? $"queue:{queue}?quorum=true" : $"queue:{queue}");
}
