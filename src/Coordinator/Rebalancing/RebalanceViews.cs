using Drover.Api;

namespace Drover.Coordinator.Rebalancing;

/// <summary>A fleet job's saga instance as the API shows it.</summary>
public static class RebalanceViews
{
    public static RebalanceView ToView(this RebalanceState s) => new()
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
