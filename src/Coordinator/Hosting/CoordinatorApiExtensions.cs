using Drover.Api;
using System.Text.Json.Serialization;
using Drover.Coordinator.Api;
using Drover.ServiceDefaults;

namespace Drover.Coordinator.Hosting;

public static class CoordinatorApiExtensions
{
    public static IServiceCollection AddCoordinatorApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // A body that does not bind throws, so that BadRequestExceptionHandler can name the field (the default is a bare 400).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.Ready]);
        return services;
    }

    /// <summary>/health/live answers while the process runs; /health/ready when the database and the bus are usable.</summary>
    public static WebApplication MapCoordinatorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiKeys();
        app.MapSession();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapDroverHealth();
        return app;
    }
}
