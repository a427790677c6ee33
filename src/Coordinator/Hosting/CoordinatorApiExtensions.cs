using Drover.Api;
using System.Text.Json.Serialization;
using Drover.Coordinator.Api;
using Drover.ServiceDefaults;
using Microsoft.OpenApi;

namespace Drover.Coordinator.Hosting;

public static class CoordinatorApiExtensions
{
    public static IServiceCollection AddCoordinatorApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        services.AddApiAccess();
        // A status without a body of its own says what to do about it, as every other refusal does.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
                c.ProblemDetails.Detail ??= "The body must be JSON: send it with Content-Type: application/json";
            else if (c.ProblemDetails.Status == StatusCodes.Status405MethodNotAllowed)
                c.ProblemDetails.Detail ??= $"{c.HttpContext.Request.Method} is not allowed on {c.HttpContext.Request.Path} (the API: /openapi/v1.json)";
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // A body that does not bind throws, so that BadRequestExceptionHandler can name the field (the default is a bare 400).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            ApiJson.Configure(o.SerializerOptions);
            BadRequestExceptionHandler.Configure(o.SerializerOptions);
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            // The scheme the authentication handler reads, so that clients generated from the document send the key.
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.Name] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiOptions.Header,
                Description = "An API key (drover keys add NAME --role read|operate|admin); its role decides what it may do",
            };
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.Ready]);
        return services;
    }

    /// <summary>/health/live answers while the process runs; /health/ready when the database and the bus are usable.</summary>
    public static WebApplication MapCoordinatorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiAccess();
        app.MapSession();
        app.MapApiKeys();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapDroverHealth();
        return app;
    }
}
