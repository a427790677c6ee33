namespace Drover.Coordinator.Persistence;

/// <summary>
/// A saga instance that holds work to do only once its row is written: a transition the repository fails to save (a
/// concurrency conflict, retried on a fresh copy of the row) must not count, so metrics are recorded here rather than
/// when the state machine runs.
/// </summary>
public interface ICommitHooks
{
    /// <summary>Runs <paramref name="action"/> after the next successful save of this instance.</summary>
    void AfterCommit(Action action);

    /// <summary>Called by the repository once the row is written.</summary>
    void Committed();
}
