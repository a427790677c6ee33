using Drover.Contracts.Agent;

namespace Drover.HostAgent.Steps;

/// <summary>A step cannot be carried out, for a reason the coordinator should see.</summary>
public sealed class StepRefusedException(AgentFailureCode code, string reason) : Exception(reason)
{
    public AgentFailureCode Code { get; } = code;

    /// <summary>The step to name in the answer when it is not the command's own (a check a larger command makes first).</summary>
    public string? Step { get; init; }
}
