using System.Text.Json;

namespace Drover.Cli;

/// <summary>A migration as the API returns it (JSON), written for a terminal: one line, a progress bar, or the whole story.</summary>
public static class MigrationText
{
    public static string Progress(JsonElement m)
    {
        double pct = m.GetProperty("percentComplete").GetDouble();
        int filled = (int)Math.Round(pct / 5);
        string eta = m.TryGetProperty("etaSeconds", out var e) && e.ValueKind == JsonValueKind.Number ? $", ETA {e.GetDouble():0.#} s" : "";
        return $"[{new string('#', filled)}{new string('-', 20 - filled)}] {pct,5:0.0}%  {MiB(m, "dataProcessedBytes")} sent, {MiB(m, "dataRemainingBytes")} left, " +
               $"dirty {MiB(m, "dirtyRateBytesPerSecond")}/s{eta}  {m.GetProperty("state").GetString()}";
    }

    public static string Describe(JsonElement m)
    {
        string text = $"{Line(m)}\n  kind {m.GetProperty("kind").GetString()}, attempt {Number(m, "attempt") ?? 1} of {Number(m, "maxAttempts") ?? 1}, " +
                      $"progress {m.GetProperty("percentComplete").GetDouble():0.#}%";
        if (Number(m, "downtimeMs") is { } downtime) text += $", downtime {downtime} ms";
        if (Number(m, "totalDurationMs") is { } total) text += $", total {total} ms";
        foreach (var field in new[] { "reason", "queueReason", "placementReason", "warning" })
            if (m.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String) text += $"\n  {field}: {v.GetString()}";
        foreach (var a in Items(m, "attempts"))
            text += $"\n  attempt {a.GetProperty("number").GetInt32()} to {Text(a, "destinationHost") ?? "?"}: {Text(a, "outcome")}" +
                    (Text(a, "reason") is { } why ? $" ({why})" : "");
        if (Text(m, "factsVerdict") is { } verdict) text += $"\n  facts: {verdict}";
        foreach (var e in Items(m, "ignoredEvents"))
            text += $"\n  ignored {Text(e, "event")} from {Text(e, "host") ?? "?"}: {Text(e, "why")}";
        if (m.TryGetProperty("escalations", out var steps) && steps.ValueKind == JsonValueKind.Array)
            foreach (var e in steps.EnumerateArray())
                text += $"\n  escalation at iteration {e.GetProperty("iteration").GetInt32()}: {e.GetProperty("action").GetString()} ({e.GetProperty("reason").GetString()})";
        return text;
    }

    public static string Line(JsonElement m) =>
        $"{m.GetProperty("id").GetString()}  {m.GetProperty("vm").GetString()}  {m.GetProperty("sourceHost").GetString()} -> " +
        $"{(m.TryGetProperty("destinationHost", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : "?")}  {m.GetProperty("state").GetString()}";

    private static string? Text(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<JsonElement> Items(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    private static long? Number(JsonElement m, string name) =>
        m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static string MiB(JsonElement m, string name) => $"{m.GetProperty(name).GetInt64() / 1048576} MiB";
}
