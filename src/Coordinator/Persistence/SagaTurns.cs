namespace Drover.Coordinator.Persistence;

/// <summary>
/// One message at a time per saga instance in this process. Two answers of one migration often arrive together (its two
/// clean-ups); handled at once, one loses the version check, throws, logs and runs again from a fresh read — about one
/// migration in three in the control-plane bench. Waiting for the other's turn instead costs nothing. (Coordinators in other
/// processes still race, and the version check still decides.)
/// </summary>
public sealed class SagaTurns
{
    private readonly Dictionary<Guid, Turn> _turns = [];

    public async Task<IDisposable> Take(Guid instance, CancellationToken cancellationToken)
    {
        Turn turn;
        lock (_turns)
        {
            if (!_turns.TryGetValue(instance, out turn!)) _turns[instance] = turn = new Turn(this, instance);
            turn.Waiting++;
        }
        try
        {
            await turn.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(turn);
            throw;
        }
        return turn;
    }

    private void Leave(Turn turn)
    {
        lock (_turns)
        {
            if (--turn.Waiting == 0) _turns.Remove(turn.Instance);
        }
    }

    /// <summary>How many instances have a message in hand or waiting (for tests).</summary>
    public int Active
    {
        get { lock (_turns) return _turns.Count; }
    }

    private sealed class Turn(SagaTurns owner, Guid instance) : IDisposable
    {
        public Guid Instance { get; } = instance;

        public SemaphoreSlim Gate { get; } = new(1);

        public int Waiting { get; set; }   // guarded by the owner's dictionary

        public void Dispose()
        {
            Gate.Release();
            owner.Leave(this);
        }
    }
}
