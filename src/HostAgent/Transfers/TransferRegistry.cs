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

    private sealed record Entry(Lazy<Task<object>> Work, DateTimeOffset Started);

    /// <summary>Starts <paramref name="start"/> unless this migration's step already has a transfer here; either way returns its outcome.</summary>
    public Task<object> RunOnce(Guid migrationId, int step, Func<Task<object>> start)
    {
        var now = clock.GetUtcNow();
        foreach (var old in _transfers.Where(t => t.Value.Work.Value.IsCompleted && now - t.Value.Started > Retention).ToList())
            _transfers.TryRemove(old);
        return _transfers.GetOrAdd((migrationId, step), _ => new Entry(new Lazy<Task<object>>(start), now)).Work.Value;
    }

    public bool IsRunning(Guid migrationId) => _transfers.Any(t => t.Key.Item1 == migrationId && !t.Value.Work.Value.IsCompleted);

    public void MarkAbortRequested(Guid migrationId) => _abortRequested[migrationId] = true;

    public bool TakeAbortRequested(Guid migrationId) => _abortRequested.TryRemove(migrationId, out _);
}
