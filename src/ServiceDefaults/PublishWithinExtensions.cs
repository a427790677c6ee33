using MassTransit;

namespace Drover.ServiceDefaults;

/// <summary>
/// Publishing that gives up. Measured with bench/chaos.sh (MassTransit 8.5.12, RabbitMQ.Client 7): a publish caught in a
/// broker restart can wait forever for its confirmation. A heartbeat loop that waits forever stops beating; a consumer
/// that never returns keeps its receive endpoint from reconnecting. Every publish outside the saga's outbox goes
/// through here: after <c>timeout</c> it throws <see cref="OperationCanceledException"/>, and the caller's own recovery
/// (the next tick, a redelivery, a step deadline) takes over.
/// </summary>
public static class PublishWithinExtensions
{
    public static async Task PublishWithin(this IPublishEndpoint endpoint, object message, TimeSpan timeout,
        Action<PublishContext>? configure = null, CancellationToken cancellationToken = default)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        within.CancelAfter(timeout);
        await endpoint.Publish(message, message.GetType(), Pipe.Execute<PublishContext>(configure ?? (_ => { })), within.Token);
    }

    /// <summary>Messages on behalf of several migrations, each in its migration's trace (<paramref name="activity"/> started
    /// from its traceparent), all at once: the broker's confirms awaited together rather than one after another. One that
    /// fails does not hold back the others; the first failure is thrown once all have been tried.</summary>
    public static Task PublishEachWithin(this IPublishEndpoint endpoint, string activity, IEnumerable<(object Message, string? TraceParent)> messages,
        TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.WhenAll(messages.Select(async m =>
        {
            using var trace = DroverActivity.Continue(activity, m.TraceParent);
            await endpoint.PublishWithin(m.Message, timeout, cancellationToken: cancellationToken);
        }));
}
