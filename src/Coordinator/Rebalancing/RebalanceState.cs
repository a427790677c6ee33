using Drover.Api;
using Drover.Contracts.Rebalancing;
using MassTransit;

namespace Drover.Coordinator.Rebalancing;

/// <summary>One fleet job's saga row.</summary>
public sealed class RebalanceState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int Version { get; set; }
    public RebalanceStrategy Strategy { get; set; }
    public string? DrainHost { get; set; }
    public bool DryRun { get; set; }
    public double TargetSpreadPoints { get; set; }
    /// <summary>The job's moves and how each went.</summary>
    public List<RebalanceMove> Moves { get; set; } = [];

    /// <summary>The VMs the plan could not move, with why.</summary>
    public List<UnmovableVm> Unmovable { get; set; } = [];
    public double SpreadBefore { get; set; }
    public double SpreadAfter { get; set; }

    /// <summary>The spread measured from heartbeats sent after the job ended (null until every host that is up reported).</summary>
    public double? SpreadMeasured { get; set; }

    public DateTime? SpreadMeasuredAt { get; set; }
    public string? FailureReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}
