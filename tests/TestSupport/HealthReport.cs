using System.Net;
using System.Text.Json;

namespace Drover.TestSupport;

/// <summary>One answer of a Drover process's <c>/health/live</c> or <c>/health/ready</c>.</summary>
public sealed record HealthReport(HttpStatusCode Status, JsonElement Report)
{
    public string StatusOf(string check) => Check(check).GetProperty("status").GetString()!;

    public string DescriptionOf(string check) => Check(check).GetProperty("description").GetString() ?? "";

    private JsonElement Check(string name) => Report.GetProperty("checks").GetProperty(name);
}
