using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Persistence;

/// <summary>How a saga message finds its row and saves it (also what bench/saga-turn.sh measures).</summary>
public static class SagaRows<TSaga> where TSaga : class, ISaga
{
    /// <summary>Every saga message loads its row, tracked: compiled once, rather than the query's expression looked up in EF's
    /// cache each time.</summary>
    public static readonly Func<DbContext, Guid, CancellationToken, Task<TSaga?>> FindTracked =
        EF.CompileAsyncQuery((DbContext db, Guid id, CancellationToken _) => db.Set<TSaga>().SingleOrDefault(x => x.CorrelationId == id));

    /// <summary>A message's last write of its context: the row saved, without EF Core accepting the changes afterwards — a
    /// fresh snapshot of every column and JSON collection for a context that is disposed next (5 % of a warm coordinator's
    /// perf samples; bench/saga-turn.sh measures a transition's turn with and without it). A save that the same context
    /// writes again after must not use it: the entity would still look changed, its version as loaded.</summary>
    public static Task Last(DbContext db, CancellationToken cancellationToken) =>
        db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
}
