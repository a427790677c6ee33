using Drover.Contracts.Agent;

namespace Drover.Coordinator.Migrations;

/// <summary>What an agent's <see cref="StepFailed"/> says about the infrastructure. Pure.</summary>
public static class StepFailures
{
    /// <summary>The infrastructure failed, not the request, an operator or the guest: another attempt may succeed.</summary>
    public static bool IsTransient(this StepFailed m) =>
        m.Code is AgentFailureCode.DestinationUnreachable or AgentFailureCode.HypervisorUnavailable or AgentFailureCode.HypervisorError;

    /// <summary>The host (its libvirtd, or a peer it needed) did not answer: the same command can succeed later.</summary>
    public static bool IsUnreachable(this StepFailed m) =>
        m.Code is AgentFailureCode.DestinationUnreachable or AgentFailureCode.HypervisorUnavailable;
}
