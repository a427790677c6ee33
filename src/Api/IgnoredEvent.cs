namespace Drover.Api;

/// <summary>An agent event the saga did not act on: late, duplicate, of another attempt, or foreign.</summary>
public sealed class IgnoredEvent
{
    public DateTime At { get; set; }

    /// <summary>The event's type name (e.g. <c>StepFailed</c>).</summary>
    public string Event { get; set; } = "";

    public string? Host { get; set; }

    /// <summary>The step, attempt and sequence the event's ticket named.</summary>
    public string? Ticket { get; set; }

    /// <summary>Why it was not acted on.</summary>
    public string Why { get; set; } = "";
}
