using Drover.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Api;

/// <summary>What an endpoint needs: a role, and whether it writes (then its body is limited and each call is audited).</summary>
public sealed record ApiAccessMetadata(ApiRole Role, bool Write);

/// <summary>
/// Who may use the HTTP API: the authentication handler (<see cref="ApiKeyAuthenticationHandler"/>) and one authorization
/// policy per role. Reads are open unless <c>Api:ProtectReads</c>; starting, changing and cancelling migrations and jobs
/// needs <c>Operate</c>; managing keys needs <c>Admin</c>. Each write is audited: one log line with who, what and the answer.
/// </summary>
public static partial class ApiAccess
{
    /// <summary>The largest body a write may carry: a migration request is a few hundred bytes.</summary>
    public const long MaxWriteBodyBytes = 64 * 1024;

    public static IServiceCollection AddApiAccess(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.Name)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.Name, null);
        services.AddSingleton<IAuthorizationHandler, ReadAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(nameof(ApiRole.Read), p => p.AddRequirements(new ReadAccess()))
            .AddPolicy(nameof(ApiRole.Operate), p => p.RequireAuthenticatedUser().RequireRole(nameof(ApiRole.Operate)))
            .AddPolicy(nameof(ApiRole.Admin), p => p.RequireAuthenticatedUser().RequireRole(nameof(ApiRole.Admin)));
        return services;
    }

    public static TBuilder RequireRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(nameof(ApiRole.Read)).WithMetadata(new ApiAccessMetadata(ApiRole.Read, Write: false));

    public static TBuilder RequireOperate<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(nameof(ApiRole.Operate)).WithMetadata(new ApiAccessMetadata(ApiRole.Operate, Write: true));

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(nameof(ApiRole.Admin)).WithMetadata(new ApiAccessMetadata(ApiRole.Admin, Write: true));

    /// <summary>Authentication; for writes the audit line (refusals too); authorization; then, for writes, the body's size
    /// (413, checked only once the caller may write, before anything reads the body).</summary>
    public static WebApplication UseApiAccess(this WebApplication app)
    {
        app.UseAuthentication();
        var audit = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Drover.Coordinator.Audit");
        app.Use(async (context, next) =>
        {
            await next(context);
            if (IsWrite(context))
                LogAudit(audit, context.User.Identity?.Name ?? "(no key)", context.Request.Method, context.Request.Path, context.Response.StatusCode);
        });
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            if (IsWrite(context) && (context.Request.ContentLength > MaxWriteBodyBytes || (context.Request.ContentLength is null && await LongerThanAllowed(context.Request))))
                await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large",
                    detail: $"A request body may be at most {MaxWriteBodyBytes / 1024} KiB").ExecuteAsync(context);
            else
                await next(context);
        });
        return app;
    }

    private static bool IsWrite(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ApiAccessMetadata>() is { Write: true };

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit: {Identity} {Method} {Path} -> {Status}")]
    private static partial void LogAudit(ILogger logger, string identity, string method, string path, int status);

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

    /// <summary>Reads need a key only when <c>Api:ProtectReads</c> says so.</summary>
    private sealed class ReadAccess : IAuthorizationRequirement;

    private sealed class ReadAccessHandler(IOptions<ApiOptions> options) : AuthorizationHandler<ReadAccess>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadAccess requirement)
        {
            if (!options.Value.ProtectReads || context.User.IsInRole(nameof(ApiRole.Read))) context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }
}
