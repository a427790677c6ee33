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

/// <summary>The dashboard page and its live feed: server-sent events carrying a snapshot whenever it changes — read when
/// this coordinator commits a saga row (<see cref="CommitSignal"/>), and every <see cref="Fallback"/> for what other
/// coordinators and the heartbeats change.</summary>
public static class DashboardEndpoints
{
    private static readonly Lazy<string> Page = new(() => Resource("dashboard.html"));

    /// <summary>Chart.js, vendored from npm at build time (Coordinator.csproj).</summary>
    private static readonly Lazy<string> Charts = new(() => Resource("chart.umd.js"));

    private static string Resource(string name)
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream($"Drover.Coordinator.Observation.{name}")!;
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>The window of the per-minute outcome chart.</summary>
    public static readonly TimeSpan ThroughputWindow = TimeSpan.FromMinutes(30);

    /// <summary>How often the feed reads without being told of a change.</summary>
    public static readonly TimeSpan Fallback = TimeSpan.FromSeconds(2);

    /// <summary>The least time between two reads: a burst of commits (progress of many migrations) is one read.</summary>
    public static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(250);

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/vendor/chart.umd.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Content(Charts.Value, "text/javascript; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapGet("/api/events", Stream).WithTags("Dashboard").RequireRead();
        return app;
    }

    private static async Task Stream(HttpContext http, IDbContextFactory<CoordinatorDbContext> dbFactory, HostInventory inventory, CommitSignal committed, IOptions<JsonOptions> json)
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
                var change = committed.Next;   // before the read: a commit during it wakes the next one
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
                await Task.WhenAny(change, Task.Delay(Fallback, ct));
                await Task.Delay(MinimumGap, ct);
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
        var since = DateTime.UtcNow - ThroughputWindow;
        var ended = await db.Migrations.AsNoTracking().Where(m => m.CompletedAt >= since).Select(m => new { m.CompletedAt, m.CurrentState }).ToListAsync(ct);
        var perMinute = ended.GroupBy(m => Minute(m.CompletedAt!.Value)).OrderBy(g => g.Key)
            .Select(g => new OutcomesPerMinute(g.Key, g.GroupBy(m => m.CurrentState).ToDictionary(o => o.Key, o => o.Count()))).ToList();
        return new DashboardSnapshot(running.Select(MigrationViews.ToView).ToList(), recent.Select(MigrationViews.ToView).ToList(), await inventory.All(ct),
            jobs.Select(Rebalancing.RebalanceViews.ToView).ToList(), perMinute);
    }

    private static DateTime Minute(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, DateTimeKind.Utc);
}
