using System.Security.Cryptography;
using System.Text;
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
            var refusal = Refusal(context, requirement, context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value)
                ?? (requirement.Write && context.Request.ContentLength is null && await LongerThanAllowed(context.Request) ? TooLarge() : null);
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
            bool byKey = Same(given, o.Key);
            bool bySession = !byKey && HasSession(context, o.Key) && (!requirement.Write || context.Request.Headers.ContainsKey(ApiOptions.SessionWriteHeader));
            if (!byKey && !bySession)
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong API key",
                    detail: $"Send the coordinator's API key in the {ApiOptions.Header} header");
        }
        return requirement.Write && context.Request.ContentLength > MaxWriteBodyBytes ? TooLarge() : null;
    }

    private static bool Same(string given, string key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));

    /// <summary>The session token for a key: an HMAC of a fixed text, so the cookie never carries the key and every
    /// coordinator that shares the key accepts it.</summary>
    public static string SessionToken(string key) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "drover dashboard session"u8)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool HasSession(HttpContext context, string? key) =>
        !string.IsNullOrEmpty(key) && context.Request.Cookies.TryGetValue(ApiOptions.SessionCookie, out var token) && token is not null && Same(token, SessionToken(key));

    /// <summary>The dashboard's sign-in: <c>POST /api/session</c> with the key sets the session cookie (HttpOnly, SameSite
    /// strict), <c>DELETE</c> ends it, <c>GET</c> says whether the browser is signed in and whether reads need it.</summary>
    public static IEndpointRouteBuilder MapSession(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").WithTags("Dashboard");
        session.MapGet("/", (HttpContext context, IOptions<ApiOptions> options) =>
            Results.Ok(new { signedIn = HasSession(context, options.Value.Key), protectReads = options.Value.ProtectReads }));
        session.MapPost("/", (SignIn body, HttpContext context, IOptions<ApiOptions> options) =>
        {
            var o = options.Value;
            if (string.IsNullOrEmpty(o.Key) || !Same(body.Key ?? "", o.Key))
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong API key", detail: "The key is not this coordinator's (Api:Key)");
            context.Response.Cookies.Append(ApiOptions.SessionCookie, SessionToken(o.Key), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/", MaxAge = TimeSpan.FromHours(12),
            });
            return Results.NoContent();
        });
        session.MapDelete("/", (HttpContext context) =>
        {
            context.Response.Cookies.Delete(ApiOptions.SessionCookie, new CookieOptions { Path = "/" });
            return Results.NoContent();
        });
        return app;
    }

    private sealed record SignIn(string? Key);

    /// <summary>A body sent without its length (chunked) is read up to the limit and kept for the endpoint.</summary>
    private static async Task<bool> LongerThanAllowed(HttpRequest request)
    {
        request.EnableBuffering(bufferThreshold: (int)MaxWriteBodyBytes + 1, bufferLimit: MaxWriteBodyBytes + 1);
        var buffer = new byte[8192];
        long total = 0;
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(buffer)) > 0)
                if ((total += n) > MaxWriteBodyBytes) return true;
        }
        catch (IOException)   // past the buffer's limit
        {
            return true;
        }
        request.Body.Position = 0;
        return false;
    }

    private static IResult TooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large",
        detail: $"A request body may be at most {MaxWriteBodyBytes / 1024} KiB");

    private sealed record ApiKeyRequirement(bool Write);
}
