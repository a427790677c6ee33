using Drover.Api;
using Drover.Contracts.Rebalancing;
using Drover.Coordinator.Api;
using Drover.Coordinator.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Rebalancing;

/// <summary>Fleet jobs over HTTP: rebalance, drain a host, follow, approve, cancel.</summary>
public static class RebalanceEndpoints
{
    public sealed record RebalanceRequest(string? Strategy, bool DryRun, double? TargetSpreadPoints);

    public sealed record DrainRequest(bool DryRun);

    public static IEndpointRouteBuilder MapRebalanceEndpoints(this IEndpointRouteBuilder app)
    {
        var reads = app.MapGroup("/api/rebalance").WithTags("Fleet jobs").RequireRead();
        reads.MapGet("/{id:guid}", Get);
        reads.MapGet("/", List);
        var writes = app.MapGroup("/api").WithTags("Fleet jobs").RequireOperate();
        writes.MapPost("/rebalance", Rebalance);
        writes.MapPost("/hosts/{host}/drain", Drain);
        writes.MapPost("/rebalance/{id:guid}/approve", (Guid id, IDbContextFactory<CoordinatorDbContext> db, IPublishEndpoint bus, CancellationToken ct) =>
            Act(id, db, bus, "AwaitingApproval", new ApproveRebalance { RebalanceId = id }, ct));
        writes.MapPost("/rebalance/{id:guid}/cancel", (Guid id, IDbContextFactory<CoordinatorDbContext> db, IPublishEndpoint bus, CancellationToken ct) =>
            Act(id, db, bus, null, new CancelRebalance { RebalanceId = id }, ct));
        return app;
    }

    private static async Task<IResult> Rebalance(RebalanceRequest request, IPublishEndpoint bus, CancellationToken ct)
    {
        RebalanceStrategy strategy;
        switch (request.Strategy?.ToLowerInvariant())
        {
            case null or "memory" or "balancememory": strategy = RebalanceStrategy.BalanceMemory; break;
            case "vcpus" or "vcpu" or "balancevcpus": strategy = RebalanceStrategy.BalanceVCpus; break;
            default: return Problem("strategy", $"Strategy '{request.Strategy}' is unknown: use memory or vcpus");
        }
        if (request.TargetSpreadPoints is < 0 or > 100) return Problem("targetSpreadPoints", "targetSpreadPoints must be between 0 and 100");
        var id = NewId.NextGuid();
        await bus.Publish(new RebalanceFleet { RebalanceId = id, Strategy = strategy, DryRun = request.DryRun, TargetSpreadPoints = request.TargetSpreadPoints ?? 5 }, ct);
        return Results.Accepted($"/api/rebalance/{id}", new JobAccepted(id, "Requested"));
    }

    private static async Task<IResult> Drain(string host, DrainRequest? request, IPublishEndpoint bus, CancellationToken ct)
    {
        if (!Names.IsHost(host)) return Problem("host", $"'{host}' is not a host name ({Names.HostRule})");
        var id = NewId.NextGuid();
        await bus.Publish(new DrainHost { RebalanceId = id, Host = host, DryRun = request?.DryRun ?? false }, ct);
        return Results.Accepted($"/api/rebalance/{id}", new JobAccepted(id, "Requested"));
    }

    private static async Task<IResult> Get(Guid id, IDbContextFactory<CoordinatorDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Rebalances.AsNoTracking().FirstOrDefaultAsync(x => x.CorrelationId == id, ct);
        return s is null ? Results.Problem(statusCode: 404, title: "No such job", detail: $"No fleet job {id}") : Results.Ok(s.ToView());
    }

    private static async Task<IResult> List(IDbContextFactory<CoordinatorDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Rebalances.AsNoTracking().OrderByDescending(x => x.CreatedAt).Take(50).ToListAsync(ct);
        return Results.Ok(rows.Select(RebalanceViews.ToView));
    }

    private static async Task<IResult> Act(Guid id, IDbContextFactory<CoordinatorDbContext> dbFactory, IPublishEndpoint bus, string? requiredState, object message, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Rebalances.AsNoTracking().FirstOrDefaultAsync(x => x.CorrelationId == id, ct);
        if (s is null) return Results.Problem(statusCode: 404, title: "No such job", detail: $"No fleet job {id}");
        if ((requiredState is not null && s.CurrentState != requiredState) || RebalanceStateMachine.FinalStates.Contains(s.CurrentState))
            return Results.Problem(statusCode: 409, title: "Not possible now", detail: $"Fleet job {id} is {s.CurrentState}");
        await bus.Publish(message, message.GetType(), ct);
        return Results.Accepted($"/api/rebalance/{id}", new JobAccepted(id, s.CurrentState));
    }

    private static IResult Problem(string field, string reason) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, detail: reason, title: "The request is not valid");
}
