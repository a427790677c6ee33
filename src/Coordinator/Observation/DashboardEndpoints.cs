using Drover.Api;
using System.Text.Json;
using Drover.Coordinator.Api;
using Drover.Coordinator.Hosts;
using Drover.Coordinator.Migrations;
using Drover.Coordinator.Persistence;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Observation;

/// <summary>The dashboard page and its live feed: server-sent events carrying a snapshot whenever it changes.</summary>
public static class DashboardEndpoints
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Drover.Coordinator.Observation.dashboard.html")!;
        return new StreamReader(stream).ReadToEnd();
    });

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/api/events", Stream).WithTags("Dashboard").RequireApiKeyForReads();
        return app;
    }

    private static async Task Stream(HttpContext http, IDbContextFactory<CoordinatorDbContext> dbFactory, HostInventory inventory, IOptions<JsonOptions> json)
    {
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var ct = http.RequestAborted;
        string last = "";
        var keepAlive = DateTime.UtcNow;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                string data = JsonSerializer.Serialize(await Snapshot(dbFactory, inventory, ct), json.Value.SerializerOptions);
                if (data != last)
                {
                    await http.Response.WriteAsync($"event: snapshot\ndata: {data}\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    last = data;
                }
                else if (DateTime.UtcNow - keepAlive > TimeSpan.FromSeconds(15))
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    keepAlive = DateTime.UtcNow;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            }
        }
        catch (OperationCanceledException)
        {
            // the browser went away
        }
    }

    public static async Task<DashboardSnapshot> Snapshot(IDbContextFactory<CoordinatorDbContext> dbFactory, HostInventory inventory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string[] active = MigrationStatuses.Unfinished;
        var running = await db.Migrations.AsNoTracking().Where(m => active.Contains(m.CurrentState)).OrderBy(m => m.CreatedAt).Take(200).ToListAsync(ct);
        var recent = await db.Migrations.AsNoTracking().Where(m => !active.Contains(m.CurrentState)).OrderByDescending(m => m.CompletedAt).Take(20).ToListAsync(ct);
        var jobs = await db.Rebalances.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(10).ToListAsync(ct);
        return new DashboardSnapshot(running.Select(MigrationViews.ToView).ToList(), recent.Select(MigrationViews.ToView).ToList(), await inventory.All(ct),
            jobs.Select(Rebalancing.RebalanceViews.ToView).ToList());
    }
}
