using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Drover.Coordinator.Api;

/// <summary>
/// A body the API cannot read as the endpoint's type (malformed JSON, a string where a number goes, a number out of range)
/// is a 400 whose <c>errors</c> name the field, never a bare "Bad Request".
/// </summary>
public sealed partial class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        await Problem(bad).ExecuteAsync(context);
        return true;
    }

    private static IResult Problem(BadHttpRequestException bad)
    {
        var json = bad.InnerException as JsonException;
        string field = json is not null ? Field(json.Path) : BoundParameter().Match(bad.Message) is { Success: true } p ? p.Groups["name"].Value : "request";
        string reason = json is null ? bad.Message : Reason(json);
        return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] },
            title: "The request body could not be read", detail: $"{field}: {reason}");
    }

    /// <summary>"$.bandwidthMiBps" → "bandwidthMiBps"; the whole body when the JSON broke before any field.</summary>
    private static string Field(string? path) => path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Reason(JsonException json)
    {
        if (ConvertedTo().Match(json.Message) is { Success: true } m) return $"expects {Expected(m.Groups["type"].Value)}";
        return json.Message.Split(" Path:", 2)[0];
    }

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "a whole number in range",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        "System.Guid" or "System.Nullable`1[System.Guid]" => "a UUID",
        "System.String" => "a string",
        _ when type.Contains("MigrationKind", StringComparison.Ordinal) => $"one of {string.Join(", ", Enum.GetNames<Contracts.MigrationKind>())}",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex(@"converted to (?<type>\S+?)\.? Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("parameter \"[^\"]* (?<name>\\w+)\"")]
    private static partial Regex BoundParameter();
}
