using System.Collections.Concurrent;

namespace Drover.HostAgent.Transfers;

/// <summary>The transfers this agent process runs, by migration: a redelivered command joins the running one instead of starting another.</summary>
public sealed class TransferRegistry
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<object>>> _running = new();
    private readonly ConcurrentDictionary<Guid, bool> _abortRequested = new();

    /// <summary>Starts <paramref name="start"/> unless a transfer for this migration already runs; either way returns its outcome.</summary>
    public Task<object> RunOnce(Guid migrationId, Func<Task<object>> start)
    {
        var entry = _running.GetOrAdd(migrationId, _ => new Lazy<Task<object>>(start));
        var task = entry.Value;
        task.ContinueWith(_ => _running.TryRemove(new KeyValuePair<Guid, Lazy<Task<object>>>(migrationId, entry)), TaskScheduler.Default);
        return task;
    }

    public bool IsRunning(Guid migrationId) => _running.TryGetValue(migrationId, out var entry) && !entry.Value.IsCompleted;

    public void MarkAbortRequested(Guid migrationId) => _abortRequested[migrationId] = true;

    public bool TakeAbortRequested(Guid migrationId) => _abortRequested.TryRemove(migrationId, out _);
}
