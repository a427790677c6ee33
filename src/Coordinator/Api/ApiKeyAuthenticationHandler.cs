using System.Security.Claims;
using System.Text.Encodings.Web;
using Drover.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Api;

/// <summary>
/// The API's authentication: an API key in the <c>X-Api-Key</c> header, or the dashboard's session cookie (a token derived
/// from a key). The identity carries its name and its role with the roles below it (an administrator also operates and
/// reads). A write with the cookie must carry the dashboard's header, which a cross-site form cannot add. Refusals are
/// ProblemDetails: 401 for no or an unknown key, 403 for a role that does not allow the endpoint.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string given = Request.Headers[ApiOptions.Header].ToString();
        if (given.Length > 0)
            return await keys.FindByKey(given, Context.RequestAborted) is { } byKey ? Success(byKey) : AuthenticateResult.Fail("The API key is not one this coordinator knows");
        if (!Request.Cookies.TryGetValue(ApiOptions.SessionCookie, out var cookie) || string.IsNullOrEmpty(cookie)) return AuthenticateResult.NoResult();
        if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method) && !Request.Headers.ContainsKey(ApiOptions.SessionWriteHeader))
            return AuthenticateResult.NoResult();   // a write with the cookie alone: possibly a cross-site form
        return await keys.FindBySession(cookie, Context.RequestAborted) is { } bySession ? Success(bySession) : AuthenticateResult.Fail("The session is not one this coordinator knows");
    }

    private static AuthenticateResult Success(ApiIdentity who)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, who.Name) };
        claims.AddRange(Enum.GetValues<ApiRole>().Where(r => r <= who.Role).Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await Context.AuthenticateAsync(Name);
        string detail = result.Failure?.Message ?? $"Send an API key in the {ApiOptions.Header} header (drover keys add makes one)";
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong API key", detail: detail).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetMetadata<ApiAccessMetadata>()?.Role;
        string who = Context.User.Identity?.Name ?? "?";
        string role = Context.User.IsInRole(nameof(ApiRole.Operate)) ? nameof(ApiRole.Operate) : nameof(ApiRole.Read);
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The key's role does not allow this",
            detail: $"'{who}' has role {role}; this needs {needed?.ToString() ?? "another role"}").ExecuteAsync(Context);
    }
}
