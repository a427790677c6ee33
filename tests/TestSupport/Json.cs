using System.Text.Json;
using System.Text.Json.Serialization;

namespace Drover.TestSupport;

public static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
