using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Api;

/// <summary>Refuses a request without the configured API key (401, as ProblemDetails).</summary>
public sealed class ApiKeyFilter(IOptions<ApiOptions> options, bool write) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var o = options.Value;
        if (!write && !o.ProtectReads) return await next(context);
        if (string.IsNullOrEmpty(o.Key))
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Writes are disabled",
                detail: "No API key is configured on this coordinator (Api:Key)");
        string given = context.HttpContext.Request.Headers[ApiOptions.Header].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(o.Key)))
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong API key",
                detail: $"Send the coordinator's API key in the {ApiOptions.Header} header");
        return await next(context);
    }
}
