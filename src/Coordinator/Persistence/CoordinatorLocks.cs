using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Persistence;

/// <summary>
/// Work one coordinator does at a time however many run: admission (its decisions must count each other) and the deadline
/// sweep (one notice per overdue step). On PostgreSQL, a transaction-scoped advisory lock: the pass that cannot take it is
/// skipped, the one that holds it lets go when its transaction ends (also when its process dies). On SQLite there is only
/// one coordinator (<see cref="SqliteSingleCoordinator"/>): nothing to take.
/// </summary>
public static class CoordinatorLocks
{
    public const long Admission = 0x44_52_4F_56_45_52_00_01;   // "DROVER" and a number
    public const long DeadlineSweep = 0x44_52_4F_56_45_52_00_02;

    /// <summary>Begins <paramref name="db"/>'s transaction and takes the lock in it; false when another coordinator holds it now.</summary>
    public static async Task<bool> TryTake(CoordinatorDbContext db, long key, CancellationToken cancellationToken)
    {
        if (db is not PostgresCoordinatorDbContext) return true;
        await db.Database.BeginTransactionAsync(cancellationToken);
        return await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({key}) AS \"Value\"").SingleAsync(cancellationToken);
    }

    /// <summary>Ends the pass's transaction, if it has one, keeping what it wrote.</summary>
    public static Task Release(CoordinatorDbContext db, CancellationToken cancellationToken) =>
        db.Database.CurrentTransaction is null ? Task.CompletedTask : db.Database.CommitTransactionAsync(cancellationToken);
}
