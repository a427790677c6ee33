namespace Drover.Api;

/// <summary>One finished attempt of a migration.</summary>
public sealed class AttemptRecord
{
    public int Number { get; set; }

    public string? DestinationHost { get; set; }

    /// <summary>How it ended: the state it ended in (<c>RolledBack</c> for one that is tried again).</summary>
    public string Outcome { get; set; } = "";

    public string? Reason { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime EndedAt { get; set; }
}
