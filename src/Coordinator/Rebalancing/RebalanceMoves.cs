using Drover.Api;
using Drover.Contracts.Migrations;
using MassTransit;

namespace Drover.Coordinator.Rebalancing;

/// <summary>The rebalance saga's bookkeeping of its moves, and how it starts them.</summary>
public static class RebalanceMoves
{
    /// <summary>The tag a child migration carries in <see cref="MigrateVm.RequestedBy"/>, which leads its outcome back to the job.</summary>
    public static string Tag(Guid rebalanceId) => $"rebalance:{rebalanceId}";

    public static Guid? JobOf(string? requestedBy) =>
        requestedBy is not null && requestedBy.StartsWith("rebalance:", StringComparison.Ordinal) && Guid.TryParse(requestedBy["rebalance:".Length..], out var id) ? id : null;

    /// <summary>What the job that started a migration hears of its outcome; null when no job started it (or not an outcome).</summary>
    public static RebalanceMoveFinished? Finished(string? requestedBy, object outcome) => JobOf(requestedBy) is not { } job ? null : outcome switch
    {
        MigrationCompleted c => new() { RebalanceId = job, MigrationId = c.MigrationId, Succeeded = true, Outcome = "completed" },
        MigrationRejected r => new() { RebalanceId = job, MigrationId = r.MigrationId, Succeeded = false, Outcome = $"rejected: {r.Reason}" },
        MigrationRolledBack b => new() { RebalanceId = job, MigrationId = b.MigrationId, Succeeded = false, Outcome = $"rolled back: {b.Reason}" },
        MigrationFailed f => new() { RebalanceId = job, MigrationId = f.MigrationId, Succeeded = false, Outcome = $"failed: {f.Reason}" },
        _ => null,
    };

    public static bool AllFinished(RebalanceState s) => s.Moves.All(m => m.Status is not (MoveStatus.Pending or MoveStatus.Running));

    public static bool AnyFailed(RebalanceState s) => s.Moves.Any(m => m.Status == MoveStatus.Failed);

    public static int Running(RebalanceState s) => s.Moves.Count(m => m.Status == MoveStatus.Running);

    public static void Finish(RebalanceState s, RebalanceMoveFinished f) =>
        s.Moves = s.Moves.Select(m => m.MigrationId == f.MigrationId && m.Status == MoveStatus.Running
            ? m with { Status = f.Succeeded ? MoveStatus.Completed : MoveStatus.Failed, Outcome = f.Outcome }
            : m).ToList();

    public static void SkipPending(RebalanceState s) =>
        s.Moves = s.Moves.Select(m => m.Status == MoveStatus.Pending ? m with { Status = MoveStatus.Skipped, Outcome = "job cancelled" } : m).ToList();

    /// <summary>Starts pending moves until <paramref name="window"/> run at once.</summary>
    public static EventActivityBinder<RebalanceState, T> StartMoves<T>(this EventActivityBinder<RebalanceState, T> b, int window) where T : class =>
        b.ThenAsync(async c =>
        {
            var moves = c.Saga.Moves;
            int free = window - moves.Count(m => m.Status == MoveStatus.Running);
            for (int i = 0; i < moves.Count && free > 0; i++)
            {
                if (moves[i].Status != MoveStatus.Pending) continue;
                var m = moves[i];
                moves[i] = m with { Status = MoveStatus.Running };
                free--;
                await c.Publish(new MigrateVm
                {
                    MigrationId = m.MigrationId, Vm = m.Vm, SourceHost = m.From, DestinationHost = m.To, Kind = m.Kind,
                    // A shut-off VM moves its definition: the host it leaves keeps none (a drain leaves the host empty).
                    UndefineSource = m.Kind == MigrationKind.Offline,
                    RequestedBy = Tag(c.Saga.CorrelationId),
                });
            }
            c.Saga.Moves = moves;
        });
}
