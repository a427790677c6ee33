using Drover.Contracts.Agent;

namespace Drover.HostAgent.Steps;

/// <summary>A step cannot be carried out, for a reason the coordinator should see.</summary>
public sealed class StepRefusedException(AgentFailureCode code, string reason) : Exception(reason)
{
    public AgentFailureCode Code { get; } = code;
}
