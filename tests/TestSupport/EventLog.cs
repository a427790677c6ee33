using System.Collections.Concurrent;

namespace Drover.TestSupport;

/// <summary>Every event the test bus saw, in order of arrival.</summary>
public sealed class EventLog
{
    private readonly ConcurrentQueue<object> _events = new();

    public void Add(object message) => _events.Enqueue(message);

    public IReadOnlyList<T> All<T>(Func<T, bool>? filter = null) => _events.OfType<T>().Where(filter ?? (_ => true)).ToList();

    public Task<T> WaitFor<T>(Func<T, bool> filter, TimeSpan? timeout = null) where T : class =>
        Eventually.Get(() => _events.OfType<T>().FirstOrDefault(filter), timeout ?? TimeSpan.FromSeconds(60), typeof(T).Name);
}
