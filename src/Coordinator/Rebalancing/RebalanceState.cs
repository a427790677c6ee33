using System.Text.Json;
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
    public string MovesJson { get; set; } = "[]";
    public string UnmovableJson { get; set; } = "[]";
    public double SpreadBefore { get; set; }
    public double SpreadAfter { get; set; }
    public string? FailureReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    public List<RebalanceMove> Moves
    {
        get => JsonSerializer.Deserialize<List<RebalanceMove>>(MovesJson) ?? [];
        set => MovesJson = JsonSerializer.Serialize(value);
    }
}
