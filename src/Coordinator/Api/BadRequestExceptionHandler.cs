using System.Text.Json;
using System.Text.Json.Serialization;
using Drover.Api;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Drover.Coordinator.Api;

/// <summary>
/// A body the API cannot read as the endpoint's type (malformed JSON, a string where a number goes, a number out of range)
/// is a 400 whose <c>errors</c> name the field, never a bare "Bad Request". A field the endpoint does not know is one too
/// (<see cref="Configure"/>): a misspelt optional field ("persistant") would otherwise be dropped without a word, and the
/// migration run without what was asked.
/// </summary>
public sealed partial class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        await Problem(bad).ExecuteAsync(context);
        return true;
    }

    /// <summary>The API's reading of request bodies: unknown fields refused (only reading: answers may grow new fields).</summary>
    public static void Configure(JsonSerializerOptions options) => options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

    private static IResult Problem(BadHttpRequestException bad)
    {
        var json = bad.InnerException as JsonException;
        if (json is not null && Unmapped().Match(json.Message) is { Success: true } unknown)
            return Problem(unknown.Groups["name"].Value, $"is not a field of this request; its fields are {Fields(unknown.Groups["type"].Value)}");
        if (json is null && bad.Message.Contains("no body was provided", StringComparison.Ordinal))
            return Problem("body", "a JSON object is required");
        if (json is null && Unbound().Match(bad.Message) is { Success: true } query)   // a route or query value, e.g. ?limit=abc
            return Problem(query.Groups["name"].Value, $"'{query.Groups["value"].Value}' is not {Expected(query.Groups["type"].Value)}", "The request is not valid");
        string field = json is not null ? Field(json.Path) : BoundParameter().Match(bad.Message) is { Success: true } p ? p.Groups["name"].Value : "request";
        return Problem(field, json is null ? bad.Message : Reason(json));
    }

    private static IResult Problem(string field, string reason, string title = "The request body could not be read") =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, title: title, detail: $"{field}: {reason}");

    /// <summary>The JSON names of a request type's fields, for the message about one it does not have.</summary>
    private static string Fields(string typeName) =>
        (typeof(ApiJson).Assembly.GetType(typeName) ?? typeof(BadRequestExceptionHandler).Assembly.GetType(typeName)) is { } type
            ? string.Join(", ", type.GetProperties().Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)))
            : "those of its documented schema (/openapi/v1.json)";

    /// <summary>"$.bandwidthMiBps" → "bandwidthMiBps"; the whole body when the JSON broke before any field.</summary>
    private static string Field(string? path) => path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Reason(JsonException json)
    {
        if (ConvertedTo().Match(json.Message) is { Success: true } m) return $"expects {Expected(m.Groups["type"].Value)}";
        return json.Message.Split(" Path:", 2)[0];
    }

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]"
            or "int" or "long" or "Nullable<int>" or "Nullable<long>" => "a whole number in range",
        "System.Double" or "System.Nullable`1[System.Double]" or "double" or "Nullable<double>" => "a number",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" or "bool" or "Nullable<bool>" => "true or false",
        "System.Guid" or "System.Nullable`1[System.Guid]" or "Guid" or "Nullable<Guid>" => "a UUID",
        "System.String" => "a string",
        _ when type.Contains("MigrationKind", StringComparison.Ordinal) => $"one of {string.Join(", ", Enum.GetNames<Contracts.MigrationKind>())}",
        _ when type.StartsWith("Drover.", StringComparison.Ordinal) => "a JSON object",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex(@"converted to (?<type>\S+?)\.? Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'")]
    private static partial Regex Unmapped();

    [GeneratedRegex("Failed to bind parameter \"(?<type>[^\"]*) (?<name>\\w+)\" from \"(?<value>[^\"]*)\"")]
    private static partial Regex Unbound();

    [GeneratedRegex("parameter \"[^\"]* (?<name>\\w+)\"")]
    private static partial Regex BoundParameter();
}
