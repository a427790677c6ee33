using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Drover.ServiceDefaults;

/// <summary>
/// Every Drover process answers <c>/health/live</c> (checks tagged <see cref="Live"/>: restart me when it fails) and
/// <c>/health/ready</c> (checks tagged <see cref="Ready"/>: send me work), each as JSON naming every check, its status,
/// its description and its figures; 503 when one is unhealthy.
/// </summary>
public static class HealthEndpoints
{
    public const string Live = "live";
    public const string Ready = "ready";

    public static WebApplication MapDroverHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", Options(Live));
        app.MapHealthChecks("/health/ready", Options(Ready));
        return app;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = c => c.Tags.Contains(tag),
        ResponseWriter = Write,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static Task Write(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                data = e.Value.Data,
            }),
        }, Json));
    }
}
