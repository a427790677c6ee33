namespace Drover.Coordinator.Persistence;

/// <summary>Pulsed each time this coordinator writes a saga row: what changed can be shown at once (the dashboard's feed
/// waits on it instead of reading the database in a loop).</summary>
public sealed class CommitSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next commit (take it before reading, so that no commit in between is missed).</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
