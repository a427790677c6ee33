using System.Text.Json;

namespace Drover.TestSupport;

public static class Json
{
    public static JsonSerializerOptions Options => Drover.Api.ApiJson.Options;
}
