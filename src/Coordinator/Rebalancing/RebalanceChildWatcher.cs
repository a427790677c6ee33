using Drover.Contracts.Migrations;
using Drover.Coordinator.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Rebalancing;

/// <summary>Leads a child migration's outcome back to its fleet job (the child's RequestedBy names the job).</summary>
public sealed class RebalanceChildWatcher(IDbContextFactory<CoordinatorDbContext> dbFactory) :
    IConsumer<MigrationCompleted>, IConsumer<MigrationRejected>, IConsumer<MigrationRolledBack>, IConsumer<MigrationFailed>
{
    public Task Consume(ConsumeContext<MigrationCompleted> context) => Report(context, context.Message.MigrationId, true, "completed");

    public Task Consume(ConsumeContext<MigrationRejected> context) => Report(context, context.Message.MigrationId, false, $"rejected: {context.Message.Reason}");

    public Task Consume(ConsumeContext<MigrationRolledBack> context) => Report(context, context.Message.MigrationId, false, $"rolled back: {context.Message.Reason}");

    public Task Consume(ConsumeContext<MigrationFailed> context) => Report(context, context.Message.MigrationId, false, $"failed: {context.Message.Reason}");

    private async Task Report(ConsumeContext context, Guid migrationId, bool succeeded, string outcome)
    {
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        string? requestedBy = await db.Migrations.AsNoTracking().Where(m => m.CorrelationId == migrationId).Select(m => m.RequestedBy).FirstOrDefaultAsync(context.CancellationToken);
        if (RebalanceMoves.JobOf(requestedBy) is { } job)
            await context.Publish(new RebalanceMoveFinished { RebalanceId = job, MigrationId = migrationId, Succeeded = succeeded, Outcome = outcome });
    }
}
