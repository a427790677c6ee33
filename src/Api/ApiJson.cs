using System.Text.Json;
using System.Text.Json.Serialization;

namespace Drover.Api;

/// <summary>How the API writes and reads its JSON (web defaults, enums by name): the coordinator, the CLI and the tests share it.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the API's settings to options made elsewhere (ASP.NET Core's).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
