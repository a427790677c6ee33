using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Steps;

/// <summary>
/// The run state a domain had when its migration began, restored: on the destination at cut-over, on the source when
/// a transfer is undone. A VM that was running is resumed if it is paused; a VM its user had paused is left as it is.
/// </summary>
internal static class RunState
{
    public static void Restore(IHypervisorDomain domain, bool wasRunning, string host)
    {
        if (wasRunning && domain.State == DomainRunState.Paused) domain.Resume();
        var state = domain.State;
        if (wasRunning ? state is not (DomainRunState.Running or DomainRunState.Blocked) : !state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{domain.Name}' is {state.ToWireName()} on {host}; expected it {(wasRunning ? "running" : "paused, as its user left it")}");
    }
}
