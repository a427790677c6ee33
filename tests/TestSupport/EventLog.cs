using System.Collections.Concurrent;

namespace Drover.TestSupport;

/// <summary>Every event the test bus saw, in order of arrival.</summary>
public sealed class EventLog
{
    private readonly ConcurrentQueue<object> _events = new();

    private readonly List<(Func<object, bool> Matches, Action<object> Act)> _triggers = [];

    /// <summary>Raised for every event as it arrives, on the bus's thread.</summary>
    public event Action<object>? Arrived;

    public void Add(object message)
    {
        _events.Enqueue(message);
        Arrived?.Invoke(message);
        (Func<object, bool>, Action<object> Act)[] due;
        lock (_triggers)
        {
            due = _triggers.Where(t => t.Matches(message)).ToArray();
            foreach (var t in due) _triggers.Remove(t);
        }
        foreach (var t in due) t.Act(message);
    }

    /// <summary>Runs <paramref name="act"/> once, as the first matching event arrives (on the bus's thread, before anything
    /// else happens in the test): for a fault that must land between two steps.</summary>
    public void OnArrival<T>(Func<T, bool> filter, Action<T> act) where T : class
    {
        lock (_triggers) _triggers.Add((m => m is T t && filter(t), m => act((T)m)));
    }

    public IReadOnlyList<T> All<T>(Func<T, bool>? filter = null) => _events.OfType<T>().Where(filter ?? (_ => true)).ToList();

    public Task<T> WaitFor<T>(Func<T, bool> filter, TimeSpan? timeout = null) where T : class =>
        Eventually.Get(() => _events.OfType<T>().FirstOrDefault(filter), timeout ?? TimeSpan.FromSeconds(60), typeof(T).Name);
}
