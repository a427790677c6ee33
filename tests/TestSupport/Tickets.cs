using Drover.Contracts.Agent;

namespace Drover.TestSupport;

/// <summary>Tickets for commands a test sends to an agent itself (the coordinator writes them otherwise).</summary>
public static class Tickets
{
    /// <summary>A ticket valid for ten minutes.</summary>
    public static StepTicket Valid(string step = "test", int attempt = 1, int sequence = 1) =>
        new() { Step = step, Attempt = attempt, Sequence = sequence, NotAfter = DateTimeOffset.UtcNow.AddMinutes(10) };

    /// <summary>A ticket whose command expired a minute ago.</summary>
    public static StepTicket Expired(string step = "test") =>
        new() { Step = step, Attempt = 1, Sequence = 1, NotAfter = DateTimeOffset.UtcNow.AddMinutes(-1) };
}
