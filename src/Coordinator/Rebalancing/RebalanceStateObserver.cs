using Drover.Api;
using Drover.Contracts.Rebalancing;
using MassTransit;

namespace Drover.Coordinator.Rebalancing;

/// <summary>Publishes <see cref="RebalanceStateChanged"/> on every transition and stamps the end of a job.</summary>
public sealed class RebalanceStateObserver(TimeProvider clock) : IStateObserver<RebalanceState>
{
    public async Task StateChanged(BehaviorContext<RebalanceState> context, State currentState, State previousState)
    {
        if (currentState.Name == "Initial") return;
        var s = context.Saga;
        if (RebalanceStateMachine.FinalStates.Contains(currentState.Name)) s.CompletedAt = clock.GetUtcNow().UtcDateTime;
        var moves = s.Moves;
        await context.Publish(new RebalanceStateChanged
        {
            RebalanceId = s.CorrelationId,
            State = currentState.Name,
            MovesPlanned = moves.Count,
            MovesFinished = moves.Count(m => m.Status is MoveStatus.Completed or MoveStatus.Failed or MoveStatus.Skipped),
            At = clock.GetUtcNow(),
        });
    }
}
