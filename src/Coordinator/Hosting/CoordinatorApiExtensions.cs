using System.Text.Json.Serialization;
using Drover.Coordinator.Api;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Drover.Coordinator.Hosting;

public static class CoordinatorApiExtensions
{
    public static IServiceCollection AddCoordinatorApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>/health/live answers while the process runs; /health/ready when the database and the bus are usable.</summary>
    public static WebApplication MapCoordinatorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }
}
