using System.Collections.Concurrent;

namespace Drover.HostAgent.Transfers;

/// <summary>
/// The transfers this agent process runs or ran, by migration and step: a redelivered command joins the running one, or
/// gets the outcome of the one that finished (a broker that restarted redelivers what was not yet acknowledged), instead
/// of starting another migration. Outcomes are kept for <see cref="Retention"/>.
/// </summary>
public sealed class TransferRegistry(TimeProvider clock)
{
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<(Guid, int), Entry> _transfers = new();
    private readonly ConcurrentDictionary<Guid, bool> _abortRequested = new();
    private readonly ConcurrentDictionary<Guid, TransferWatcher> _watching = new();

    private sealed record Entry(Lazy<Task<object>> Work, DateTimeOffset Started);

    /// <summary>Starts <paramref name="start"/> unless this migration's step already has a transfer here; either way returns its outcome.</summary>
    public Task<object> RunOnce(Guid migrationId, int step, Func<Task<object>> start)
    {
        var now = clock.GetUtcNow();
        foreach (var old in _transfers.Where(t => t.Value.Work.Value.IsCompleted && now - t.Value.Started > Retention).ToList())
            _transfers.TryRemove(old);
        return _transfers.GetOrAdd((migrationId, step), _ => new Entry(new Lazy<Task<object>>(start), now)).Work.Value;
    }

    /// <summary>The watch of a running transfer, while it runs: operators' adjustments go to it.</summary>
    internal IDisposable Watching(Guid migrationId, TransferWatcher watch)
    {
        _watching[migrationId] = watch;
        return new Unwatch(() => _watching.TryRemove(new KeyValuePair<Guid, TransferWatcher>(migrationId, watch)));
    }

    /// <summary>Hands an operator's adjustment to the running transfer of its migration and attempt; false when there is none.</summary>
    public bool Adjust(Drover.Contracts.Agent.AdjustTransfer adjustment)
    {
        if (!_watching.TryGetValue(adjustment.MigrationId, out var watch) || watch.Attempt != adjustment.Attempt) return false;
        watch.Adjust(adjustment);
        return true;
    }

    private sealed class Unwatch(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    public bool IsRunning(Guid migrationId) => _transfers.Any(t => t.Key.Item1 == migrationId && !t.Value.Work.Value.IsCompleted);

    public void MarkAbortRequested(Guid migrationId) => _abortRequested[migrationId] = true;

    public bool TakeAbortRequested(Guid migrationId) => _abortRequested.TryRemove(migrationId, out _);

    public bool IsAbortRequested(Guid migrationId) => _abortRequested.ContainsKey(migrationId);
}
