using System.Diagnostics;

namespace Drover.ServiceDefaults;

/// <summary>Drover's own activities: work started outside a message (admission, deadlines) joins the migration's trace.</summary>
public static class DroverActivity
{
    public const string SourceName = "Drover";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts an activity in the trace <paramref name="traceParent"/> (a W3C traceparent) when tracing listens; else null.</summary>
    public static Activity? Continue(string name, string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : Source.StartActivity(name);
}
