
namespace Drover.Api;

/// <summary>A fleet job as the API, the CLI and the dashboard show it.</summary>
public sealed record RebalanceView
{
    public required Guid Id { get; init; }
    public required string State { get; init; }
    public required string Kind { get; init; }
    public string? DrainHost { get; init; }
    public required bool DryRun { get; init; }
    public required double SpreadBefore { get; init; }
    public required double SpreadAfter { get; init; }

    /// <summary>The spread measured from the hosts' heartbeats after the job ended; null until then.</summary>
    public double? SpreadMeasured { get; init; }
    public required IReadOnlyList<RebalanceMove> Moves { get; init; }
    public required IReadOnlyList<UnmovableVm> Unmovable { get; init; }
    public string? Reason { get; init; }
    public required DateTime CreatedAt { get; init; }
    public DateTime? CompletedAt { get; init; }

    public bool IsFinal => FinalStates.Contains(State);

    /// <summary>The states a fleet job ends in.</summary>
    public static readonly string[] FinalStates = ["Completed", "PartlyFailed", "Cancelled", "Failed"];
}
