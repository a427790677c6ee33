using System.Security.Claims;
using Drover.Api;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Api;

/// <summary>The keys (<c>/api/keys</c>, administrators only) and the dashboard's sign-in (<c>/api/session</c>).</summary>
public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/keys").WithTags("Access").RequireAdmin();
        keys.MapPost("/", Add);
        keys.MapGet("/", async (ApiKeyStore store, CancellationToken ct) => Results.Ok(await store.List(ct)));
        keys.MapDelete("/{name}", async (string name, ApiKeyStore store, CancellationToken ct) =>
            await store.Revoke(name, ct) ? Results.NoContent()
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such key", detail: $"'{name}' has no key to revoke"));
        return app;
    }

    private static async Task<IResult> Add(ApiKeyRequest request, ClaimsPrincipal user, ApiKeyStore store, CancellationToken ct)
    {
        if (!ApiKeyStore.IsName(request.Name))
            return Invalid("name", $"The name must be {ApiKeyStore.NameRule}");
        if (request.Role is not { } role)
            return Invalid("role", "Name the role: read, operate or admin");
        var (key, refusal) = await store.Add(request.Name!, role, user.Identity?.Name ?? "?", ct);
        return key is null
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The name is taken", detail: refusal)
            : Results.Created($"/api/keys/{request.Name}", new ApiKeyCreated(request.Name!, role, key));
    }

    private static IResult Invalid(string field, string reason) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, detail: reason, title: "The key request is not valid");

    /// <summary>The dashboard's sign-in: <c>POST /api/session</c> with a key sets the session cookie (HttpOnly, SameSite strict;
    /// a token derived from the key, never the key), <c>DELETE</c> ends it, <c>GET</c> says who is signed in and whether reads need it.</summary>
    public static IEndpointRouteBuilder MapSession(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").WithTags("Dashboard");
        session.MapGet("/", (ClaimsPrincipal user, IOptions<ApiOptions> options) => Results.Ok(new
        {
            signedIn = user.Identity?.IsAuthenticated == true,
            name = user.Identity?.Name,
            role = Enum.GetValues<ApiRole>().LastOrDefault(r => user.IsInRole(r.ToString()), ApiRole.Read).ToString(),
            protectReads = options.Value.ProtectReads,
        }));
        session.MapPost("/", async (SignIn body, HttpContext context, ApiKeyStore store) =>
        {
            if (body.Key is not { Length: > 0 } key || await store.FindByKey(key, context.RequestAborted) is not { } who)
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong API key", detail: "The key is not one this coordinator knows");
            context.Response.Cookies.Append(ApiOptions.SessionCookie, ApiKeyStore.SessionCookie(who, key), new CookieOptions
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
}
