using System.Security.Claims;
using Drover.Coordinator.Hosts;
using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Api;
using Drover.Coordinator.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Migrations;

public static class MigrationEndpoints
{
    public static IEndpointRouteBuilder MapMigrationEndpoints(this IEndpointRouteBuilder app)
    {
        var reads = app.MapGroup("/api/migrations").WithTags("Migrations").RequireRead();
        reads.MapGet("/{id:guid}", Get).WithName("GetMigration");
        reads.MapGet("/", List);
        reads.MapPost("/preflight", Assess);
        app.MapGet("/api/vms/{vm}/placement", Placement).WithTags("Migrations").RequireRead();

        var writes = app.MapGroup("/api/migrations").WithTags("Migrations").RequireOperate();
        writes.MapPost("/", Start);
        writes.MapPost("/{id:guid}/cancel", Cancel);
        writes.MapPatch("/{id:guid}", Tune);
        writes.MapPost("/{id:guid}/force-complete", ForceComplete);
        return app;
    }

    private static async Task<IResult> Start(StartMigrationRequest request, ClaimsPrincipal user, HostInventory inventory, IDbContextFactory<CoordinatorDbContext> dbFactory, IPublishEndpoint bus, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.SourceHost) && !string.IsNullOrWhiteSpace(request.Vm))
        {
            // No source named: the host the inventory sees the VM on, when that is one host.
            var (source, why) = HostInventory.SourceOf(request.Vm, await inventory.All(ct));
            if (source is null)
                return Results.ValidationProblem(new Dictionary<string, string[]> { [nameof(request.SourceHost)] = [why!] }, detail: why, title: "The migration request is not valid");
            request = request with { SourceHost = source };
        }
        var (m, problem) = request.ToMessage(requestedBy: user.Identity?.Name);   // who asks is the key's identity, never the body's word
        if (m is null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { [problem!.Field] = [problem.Reason] }, detail: problem.Reason, title: "The migration request is not valid");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Migrations.AsNoTracking().FirstOrDefaultAsync(x => x.CorrelationId == m.MigrationId, ct);
        if (existing is not null)
        {
            // The same request again is accepted (idempotent); a different one under the same id is a mistake, said as such.
            var differ = Differences(existing, m);
            return differ.Count == 0
                ? Results.Accepted($"/api/migrations/{m.MigrationId}", existing.ToView())
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The migration id is taken by another request",
                    detail: $"Migration {m.MigrationId} was asked with other values for: {string.Join(", ", differ)}",
                    extensions: new Dictionary<string, object?> { ["fields"] = differ });
        }
        string[] busy = MigrationStatuses.Unfinished;
        var running = await db.Migrations.AsNoTracking().FirstOrDefaultAsync(x => x.Vm == m.Vm && busy.Contains(x.CurrentState), ct);
        if (running is not null)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The VM is already migrating",
                detail: $"VM '{m.Vm}' is in migration {running.CorrelationId} ({running.CurrentState})", extensions: new Dictionary<string, object?> { ["migrationId"] = running.CorrelationId });

        await bus.Publish(m, ct);
        return Results.Accepted($"/api/migrations/{m.MigrationId}", new MigrationAccepted(m.MigrationId, "Requested", m.SourceHost));
    }

    private static async Task<IResult> Get(Guid id, IDbContextFactory<CoordinatorDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Migrations.AsNoTracking().FirstOrDefaultAsync(x => x.CorrelationId == id, ct);
        return s is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such migration", detail: $"No migration {id}")
            : Results.Ok(s.ToView());
    }

    private static async Task<IResult> List(string? state, string? host, string? vm, int? limit, IDbContextFactory<CoordinatorDbContext> dbFactory, CancellationToken ct)
    {
        if (limit is < 1 or > 1000) return Invalid(new RequestProblem("limit", "limit must be between 1 and 1000"));
        bool active = state?.Equals("active", StringComparison.OrdinalIgnoreCase) == true;
        if (!string.IsNullOrEmpty(state) && !active)
        {
            // A state misspelt would list nothing, as if there were no such migrations: said instead (any case is read).
            if (!Enum.TryParse<MigrationStatus>(state, ignoreCase: true, out var known) || int.TryParse(state, out _))
                return Invalid(new RequestProblem("state", $"state '{state}' is unknown: use active or one of {string.Join(", ", Enum.GetNames<MigrationStatus>())}"));
            state = known.ToString();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Migrations.AsNoTracking();
        if (active) q = q.Where(x => MigrationStatuses.Unfinished.Contains(x.CurrentState));
        else if (!string.IsNullOrEmpty(state)) q = q.Where(x => x.CurrentState == state);
        if (!string.IsNullOrEmpty(host)) q = q.Where(x => x.SourceHost == host || x.DestinationHost == host);
        if (!string.IsNullOrEmpty(vm)) q = q.Where(x => x.Vm == vm);
        var rows = await q.OrderByDescending(x => x.CreatedAt).Take(limit ?? 100).ToListAsync(ct);
        return Results.Ok(rows.Select(MigrationViews.ToView));
    }

    /// <summary>Can it move, where, will it converge: the same body as a migration; nothing is started.</summary>
    private static async Task<IResult> Assess(StartMigrationRequest request, Preflight preflight, CancellationToken ct)
    {
        var (view, problem) = await preflight.Assess(request, ct);
        return view is null ? Invalid(problem!) : Results.Ok(view);
    }

    /// <summary>Where could this VM go: a pre-flight of a live migration (or the kind asked) to any host.</summary>
    private static Task<IResult> Placement(string vm, string? kind, long? bandwidthMiBps, long? maxDowntimeMs, Preflight preflight, CancellationToken ct) =>
        Assess(new StartMigrationRequest { Vm = vm, Kind = kind, BandwidthMiBps = bandwidthMiBps, MaxDowntimeMs = maxDowntimeMs }, preflight, ct);

    /// <summary>A running transfer's bandwidth or maximum downtime, changed by an operator (libvirt's set-speed and
    /// set-max-downtime on the source agent's job).</summary>
    private static Task<IResult> Tune(Guid id, TransferAdjustmentRequest body, ClaimsPrincipal user, IDbContextFactory<CoordinatorDbContext> dbFactory, ISendEndpointProvider send, TimeProvider clock, CancellationToken ct)
    {
        var problem = body.BandwidthMiBps is null && body.MaxDowntimeMs is null
            ? new RequestProblem("body", "Name bandwidthMiBps, maxDowntimeMs or both")
            : MigrationRequestValidator.CheckTuning(body.BandwidthMiBps, body.MaxDowntimeMs);
        if (problem is not null) return Task.FromResult(Invalid(problem));
        return Adjust(id, user.Identity?.Name, dbFactory, send, clock, ct,
            s => s.Kind == MigrationKind.Offline ? new(nameof(body.BandwidthMiBps), "An offline migration moves no memory")
                : body.MaxDowntimeMs is not null && s.Kind != MigrationKind.Live ? new(nameof(body.MaxDowntimeMs), "MaxDowntimeMs applies to live migrations only")
                : null,
            a => a with { BandwidthMiBps = body.BandwidthMiBps, MaxDowntimeMs = body.MaxDowntimeMs });
    }

    /// <summary>Nova's force-complete: post-copy when the request allowed it, otherwise the VM is paused so the copy finishes.</summary>
    private static Task<IResult> ForceComplete(Guid id, ClaimsPrincipal user, IDbContextFactory<CoordinatorDbContext> dbFactory, ISendEndpointProvider send, TimeProvider clock, CancellationToken ct) =>
        Adjust(id, user.Identity?.Name, dbFactory, send, clock, ct,
            s => s.Kind != MigrationKind.Live ? new("kind", $"A {s.Kind} migration has nothing to force: its VM is already paused or shut off") : null,
            a => a with { ForceComplete = true });

    private static async Task<IResult> Adjust(Guid id, string? requestedBy, IDbContextFactory<CoordinatorDbContext> dbFactory, ISendEndpointProvider send, TimeProvider clock,
        CancellationToken ct, Func<MigrationState, RequestProblem?> check, Func<AdjustTransfer, AdjustTransfer> what)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Migrations.AsNoTracking().FirstOrDefaultAsync(x => x.CorrelationId == id, ct);
        if (s is null) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such migration", detail: $"No migration {id}");
        if (check(s) is { } problem) return Invalid(problem);
        if (!s.Is(MigrationStatus.TransferringMemory))
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No transfer is running",
                detail: $"Migration {id} is {s.CurrentState}: only a running transfer can be changed");
        var endpoint = await send.GetSendEndpoint(StepCommands.AgentQueue(s.SourceHost));
        await endpoint.Send(what(new AdjustTransfer
        {
            MigrationId = id,
            Attempt = s.Attempt,
            RequestedBy = requestedBy is { Length: > 0 and <= 200 } ? requestedBy : null,
            NotAfter = clock.GetUtcNow() + AdjustmentLifetime,
        }), ct);
        return Results.Accepted($"/api/migrations/{id}", new MigrationAccepted(id, s.CurrentState, s.SourceHost));
    }

    /// <summary>An adjustment not delivered within this (the source agent away) is stale: the transfer has moved on.</summary>
    private static readonly TimeSpan AdjustmentLifetime = TimeSpan.FromMinutes(1);

    private static IResult Invalid(RequestProblem problem) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Reason] }, detail: problem.Reason, title: "The request is not valid");

    private static async Task<IResult> Cancel(Guid id, IDbContextFactory<CoordinatorDbContext> dbFactory, IPublishEndpoint bus, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var s = await db.Migrations.AsNoTracking().FirstOrDefaultAsync(x => x.CorrelationId == id, ct);
        if (s is null) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such migration", detail: $"No migration {id}");
        if (MigrationStatuses.IsFinal(s.CurrentState) || s.CurrentState is nameof(MigrationStatus.CuttingOver) or nameof(MigrationStatus.CleaningUp) or nameof(MigrationStatus.Reconciling))
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too late to cancel",
                detail: $"Migration {id} is {s.CurrentState}" + (s.CurrentState is nameof(MigrationStatus.CuttingOver) or nameof(MigrationStatus.CleaningUp) or nameof(MigrationStatus.Reconciling) ? ": the VM already runs on the destination" : ""));
        await bus.Publish(new CancelMigration { MigrationId = id, Reason = "cancelled through the API" }, ct);
        return Results.Accepted($"/api/migrations/{id}", new MigrationAccepted(id, s.CurrentState, s.SourceHost));
    }

    /// <summary>The request fields in which <paramref name="m"/> differs from the migration already recorded under its id.</summary>
    private static List<string> Differences(MigrationState s, MigrateVm m)
    {
        var fields = new (string Name, bool Same)[]
        {
            ("vm", s.Vm == m.Vm), ("sourceHost", s.SourceHost == m.SourceHost), ("destinationHost", s.RequestedDestination == m.DestinationHost),
            ("kind", s.Kind == m.Kind), ("persistent", s.Persistent == m.Persistent), ("undefineSource", s.UndefineSource == m.UndefineSource),
            ("bandwidthMiBps", s.BandwidthMiBps == m.BandwidthMiBps), ("maxDowntimeMs", s.MaxDowntimeMs == m.MaxDowntimeMs),
            ("autoConverge", s.AutoConverge == m.AutoConverge), ("postCopyAllowed", s.PostCopyAllowed == m.PostCopyAllowed),
            ("fallBackToNonLiveAllowed", s.FallBackToNonLiveAllowed == m.FallBackToNonLiveAllowed), ("copyStorage", s.CopyStorage == m.CopyStorage),
            ("priority", s.Priority == m.Priority), ("maxAttempts", m.MaxAttempts is null || s.MaxAttempts == m.MaxAttempts),
        };
        return fields.Where(f => !f.Same).Select(f => f.Name).ToList();
    }
}
