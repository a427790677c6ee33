using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Api;

/// <summary>
/// The API's gate, before anything of the request is read: the API key (401) and, for writes, the body's size (413). Endpoints
/// say what they need with <see cref="RequireApiKeyForWrites{TBuilder}"/> or <see cref="RequireApiKeyForReads{TBuilder}"/>; the
/// check runs as middleware, so a request without the key never has its body read or bound.
/// </summary>
public static class ApiKeyExtensions
{
    /// <summary>The largest body a write may carry: a migration request is a few hundred bytes.</summary>
    public const long MaxWriteBodyBytes = 64 * 1024;

    public static TBuilder RequireApiKeyForWrites<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiKeyRequirement(Write: true));

    public static TBuilder RequireApiKeyForReads<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiKeyRequirement(Write: false));

    public static WebApplication UseApiKeys(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ApiKeyRequirement>() is not { } requirement)
            {
                await next(context);
                return;
            }
            var refusal = Refusal(context, requirement, context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value);
            if (refusal is not null)
            {
                await refusal.ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        return app;
    }

    private static IResult? Refusal(HttpContext context, ApiKeyRequirement requirement, ApiOptions o)
    {
        if (requirement.Write || o.ProtectReads)
        {
            if (string.IsNullOrEmpty(o.Key))
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Writes are disabled",
                    detail: "No API key is configured on this coordinator (Api:Key)");
            string given = context.Request.Headers[ApiOptions.Header].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(o.Key)))
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong API key",
                    detail: $"Send the coordinator's API key in the {ApiOptions.Header} header");
        }
        if (!requirement.Write) return null;
        if (context.Request.ContentLength > MaxWriteBodyBytes) return TooLarge();
        // A body without a length (chunked) is cut off by the server at the limit; BadRequestExceptionHandler says 413.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxWriteBodyBytes;
        return null;
    }

    public static IResult TooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large",
        detail: $"A request body may be at most {MaxWriteBodyBytes / 1024} KiB");

    private sealed record ApiKeyRequirement(bool Write);
}
