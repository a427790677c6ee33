using Drover.Api;
using System.Linq.Expressions;
using Drover.Contracts.Migrations;
using Drover.Contracts.Rebalancing;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Rebalancing;

/// <summary>
/// A fleet job: Planning → AwaitingApproval (dry run) → Executing → Completed / PartlyFailed, or Cancelling →
/// Cancelled. It runs its moves as child migrations (<see cref="MigrateVm"/>), at most
/// <see cref="RebalanceOptions.Window"/> at a time, so admission limits and other work keep their share; each VM
/// moves at most once and a VM that cannot move is reported, so a job always ends.
/// </summary>
public sealed class RebalanceStateMachine : MassTransitStateMachine<RebalanceState>
{
    public RebalanceStateMachine(TimeProvider clock, IOptions<RebalanceOptions> options)
    {
        int window = options.Value.Window;
        InstanceState(x => x.CurrentState);

        Event(() => FleetRequested, x => x.CorrelateById(c => c.Message.RebalanceId));
        Event(() => DrainRequested, x => x.CorrelateById(c => c.Message.RebalanceId));
        Correlate(() => Planned, c => c.Message.RebalanceId);
        Correlate(() => Approved, c => c.Message.RebalanceId);
        Correlate(() => Cancel, c => c.Message.RebalanceId);
        Correlate(() => MoveFinished, c => c.Message.RebalanceId);
        Correlate(() => SpreadMeasured, c => c.Message.RebalanceId);
        OnUnhandledEvent(c => c.Ignore());

        Initially(
            When(FleetRequested)
                .Then(c =>
                {
                    c.Saga.Strategy = c.Message.Strategy;
                    c.Saga.DryRun = c.Message.DryRun;
                    c.Saga.TargetSpreadPoints = c.Message.TargetSpreadPoints;
                    c.Saga.CreatedAt = clock.GetUtcNow().UtcDateTime;
                })
                .TransitionTo(Planning)
                .Publish(c => new PlanRebalance { RebalanceId = c.Saga.CorrelationId, Strategy = c.Saga.Strategy, TargetSpreadPoints = c.Saga.TargetSpreadPoints }),
            When(DrainRequested)
                .Then(c =>
                {
                    c.Saga.DrainHost = c.Message.Host;
                    c.Saga.DryRun = c.Message.DryRun;
                    c.Saga.CreatedAt = clock.GetUtcNow().UtcDateTime;
                })
                .TransitionTo(Planning)
                .Publish(c => new PlanRebalance { RebalanceId = c.Saga.CorrelationId, DrainHost = c.Saga.DrainHost }));

        During(Planning,
            When(Planned, c => c.Message.Error is not null).Then(c => c.Saga.FailureReason = c.Message.Error).TransitionTo(Failed),
            When(Planned, c => c.Message.Error is null)
                .Then(c =>
                {
                    c.Saga.Moves = [.. c.Message.Moves];
                    c.Saga.Unmovable = [.. c.Message.Unmovable];
                    c.Saga.SpreadBefore = c.Message.SpreadBefore;
                    c.Saga.SpreadAfter = c.Message.SpreadAfter;
                })
                .IfElse(c => c.Saga.DryRun,
                    dry => dry.TransitionTo(AwaitingApproval),
                    run => run.TransitionTo(Executing).StartMoves(window).If(c => RebalanceMoves.AllFinished(c.Saga), done => done.TransitionTo(Completed))),
            When(Cancel).TransitionTo(Cancelled));

        During(AwaitingApproval,
            When(Approved).TransitionTo(Executing).StartMoves(window).If(c => RebalanceMoves.AllFinished(c.Saga), done => done.TransitionTo(Completed)),
            When(Cancel).TransitionTo(Cancelled));

        During(Executing,
            When(MoveFinished).Then(c => RebalanceMoves.Finish(c.Saga, c.Message)).StartMoves(window)
                .If(c => RebalanceMoves.AllFinished(c.Saga),
                    done => done.IfElse(c => RebalanceMoves.AnyFailed(c.Saga), x => x.TransitionTo(PartlyFailed), x => x.TransitionTo(Completed))),
            When(Cancel).Then(c => RebalanceMoves.SkipPending(c.Saga))
                .IfElse(c => RebalanceMoves.Running(c.Saga) == 0, x => x.TransitionTo(Cancelled), x => x.TransitionTo(Cancelling)));

        During(Cancelling,
            When(MoveFinished).Then(c => RebalanceMoves.Finish(c.Saga, c.Message))
                .If(c => RebalanceMoves.Running(c.Saga) == 0, x => x.TransitionTo(Cancelled)));

        During(Completed, PartlyFailed, Cancelled,
            When(SpreadMeasured).Then(c =>
            {
                c.Saga.SpreadMeasured = c.Message.SpreadPoints;
                c.Saga.SpreadMeasuredAt = c.Message.MeasuredAt;
            }));
    }

    /// <summary>An event of a running job: correlated by its RebalanceId, dropped when no job knows it.</summary>
    private void Correlate<T>(Expression<Func<Event<T>>> property, Func<ConsumeContext<T>, Guid> rebalanceId) where T : class =>
        Event(property, x =>
        {
            x.CorrelateById(rebalanceId);
            x.OnMissingInstance(m => m.Discard());
        });

    public State Planning { get; private set; } = null!;
    public State AwaitingApproval { get; private set; } = null!;
    public State Executing { get; private set; } = null!;
    public State Cancelling { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State PartlyFailed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<RebalanceFleet> FleetRequested { get; private set; } = null!;
    public Event<DrainHost> DrainRequested { get; private set; } = null!;
    public Event<RebalancePlanned> Planned { get; private set; } = null!;
    public Event<ApproveRebalance> Approved { get; private set; } = null!;
    public Event<CancelRebalance> Cancel { get; private set; } = null!;
    public Event<RebalanceMoveFinished> MoveFinished { get; private set; } = null!;
    public Event<RebalanceSpreadMeasured> SpreadMeasured { get; private set; } = null!;

    public static readonly string[] FinalStates = RebalanceView.FinalStates;
}
