
namespace Drover.Coordinator.Rebalancing;

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

    public bool IsFinal => RebalanceStateMachine.FinalStates.Contains(State);

    public static RebalanceView From(RebalanceState s) => new()
    {
        Id = s.CorrelationId,
        State = s.CurrentState,
        Kind = s.DrainHost is null ? s.Strategy.ToString() : "Drain",
        DrainHost = s.DrainHost,
        DryRun = s.DryRun,
        SpreadBefore = s.SpreadBefore,
        SpreadAfter = s.SpreadAfter,
        SpreadMeasured = s.SpreadMeasured,
        Moves = s.Moves,
        Unmovable = s.Unmovable,
        Reason = s.FailureReason,
        CreatedAt = s.CreatedAt,
        CompletedAt = s.CompletedAt,
    };
}
