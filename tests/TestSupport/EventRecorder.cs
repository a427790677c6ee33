using MassTransit;

namespace Drover.TestSupport;

/// <summary>Records one event type into the <see cref="EventLog"/>.</summary>
public sealed class EventRecorder<T>(EventLog log) : IConsumer<T> where T : class
{
    public Task Consume(ConsumeContext<T> context)
    {
        log.Add(context.Message);
        return Task.CompletedTask;
    }
}
