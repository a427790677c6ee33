using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Persistence;

/// <summary>One message's view of the saga table: load, insert, update (version-checked), delete. With
/// <paramref name="oneInstance"/> (a message correlated by id) the update, save or delete is the context's last write; a
/// query's instances are each saved in turn, so each save there accepts its changes.</summary>
public sealed class EfSagaRepositoryContext<TSaga, TMessage>(DbContext db, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<DbContext, TSaga> factory, CommitSignal committed, bool oneInstance)
    : ConsumeContextScope<TMessage>(consumeContext, db), SagaRepositoryContext<TSaga, TMessage>, IDisposable
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly SemaphoreSlim _gate = new(1);
    private readonly ConsumeContext<TMessage> _message = consumeContext;

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(db, _message, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        var entry = await db.Set<TSaga>().AddAsync(instance, CancellationToken);
        try
        {
            await db.SaveChangesAsync(CancellationToken);
            Committed(instance);
            return await factory.CreateSagaConsumeContext(db, _message, instance, SagaConsumeContextMode.Insert);
        }
        catch (DbUpdateException)
        {
            entry.State = EntityState.Detached;   // another message created it first: MassTransit loads it instead
            return null!;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await SagaRows<TSaga>.FindTracked(db, correlationId, CancellationToken);
        return instance is null ? null! : await factory.CreateSagaConsumeContext(db, _message, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => Serialized(context, async () =>
    {
        if (context.Saga is ISagaVersion versioned) versioned.Version = 1;
        await db.Set<TSaga>().AddAsync(context.Saga, CancellationToken);
        await Write();
        Committed(context.Saga);
    });

    public Task Update(SagaConsumeContext<TSaga> context) => Serialized(context, async () =>
    {
        if (context.Saga is ISagaVersion versioned) versioned.Version++;   // the original value stays in the UPDATE's WHERE
        await Write();
        Committed(context.Saga);
    });

    public Task Delete(SagaConsumeContext<TSaga> context) => Serialized(context, async () =>
    {
        db.Set<TSaga>().Remove(context.Saga);
        await Write();
    });

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Serialized(context, () =>
    {
        var entry = db.ChangeTracker.Entries<TSaga>().FirstOrDefault(x => x.Entity.CorrelationId == context.Saga.CorrelationId);
        if (entry is not null) entry.State = EntityState.Unchanged;
        return Task.CompletedTask;
    });

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class => factory.CreateSagaConsumeContext(db, consumeContext, instance, mode);

    public void Dispose() => _gate.Dispose();

    private Task Write() => oneInstance ? SagaRows<TSaga>.Last(db, CancellationToken) : db.SaveChangesAsync(CancellationToken);

    /// <summary>The row is written: the instance's deferred work runs, and whoever waits for changes is told.</summary>
    private void Committed(TSaga saga)
    {
        (saga as ICommitHooks)?.Committed();
        committed.Pulse();
    }

    private async Task Serialized(SagaConsumeContext<TSaga> context, Func<Task> action)
    {
        await _gate.WaitAsync(context.CancellationToken);
        try { await action(); }
        finally { _gate.Release(); }
    }
}
