using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Persistence;

/// <summary>How a saga message finds its row (also what bench/saga-turn.sh measures).</summary>
public static class SagaRows<TSaga> where TSaga : class, ISaga
{
    /// <summary>Every saga message loads its row, tracked: compiled once, rather than the query's expression looked up in EF's
    /// cache each time.</summary>
    public static readonly Func<DbContext, Guid, CancellationToken, Task<TSaga?>> FindTracked =
        EF.CompileAsyncQuery((DbContext db, Guid id, CancellationToken _) => db.Set<TSaga>().SingleOrDefault(x => x.CorrelationId == id));
}
