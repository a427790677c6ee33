using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Persistence;

/// <summary>
/// Our EF Core saga repository on MassTransit's public repository hooks (MassTransit.EntityFrameworkCore is not
/// available here). A fresh DbContext per message attempt; the saga's <see cref="ISagaVersion.Version"/> is the
/// concurrency token, so a lost race throws <see cref="DbUpdateConcurrencyException"/> and the endpoint's retry
/// runs the message again from a fresh read. Within this process the messages of one instance take turns (<see cref="SagaTurns"/>).
/// </summary>
public sealed class EfSagaRepositoryContextFactory<TSaga>(IDbContextFactory<CoordinatorDbContext> dbFactory, ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory, CommitSignal committed, SagaTurns turns)
    : ISagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public void Probe(ProbeContext context) => context.Add("persistence", "drover-ef-core");

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next) where T : class
    {
        // Messages of one instance (the envelope's correlation id: every step event and command carries it) take turns.
        using var turn = context.CorrelationId is { } instance ? await turns.Take(instance, context.CancellationToken) : null;
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        using var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory, committed, oneInstance: true);
        await next.Send(repositoryContext);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next) where T : class
    {
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        var instances = await db.Set<TSaga>().Where(query.FilterExpression).ToListAsync(context.CancellationToken);
        using var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory, committed, oneInstance: false);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
    }

    public async Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken) where T : class
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await asyncMethod(new EfSagaQueryContext<TSaga>(db, cancellationToken));
    }

    public async Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken) where T : class
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await asyncMethod(new EfSagaQueryContext<TSaga>(db, cancellationToken));
    }
}
