namespace Drover.Api;

/// <summary>The answer (202) to a request about a fleet job: its id and its state at that moment.</summary>
public sealed record JobAccepted(Guid Id, string State);
