namespace Drover.Api;

/// <summary>One step of a migration's timeline: the state it entered, when, and why when there is a reason to give.</summary>
public sealed class StateChange
{
    public DateTime At { get; set; }

    public string State { get; set; } = "";

    public string? Reason { get; set; }
}
