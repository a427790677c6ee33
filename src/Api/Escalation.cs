namespace Drover.Api;

/// <summary>One step of the convergence ladder as the saga records it (see the agent's ConvergencePolicy).</summary>
/// <param name="Action">RaiseMaxDowntime, StartPostCopy, SuspendForNonLive or Abort.</param>
/// <param name="Reason">The figures that showed the stall.</param>
/// <param name="MaxDowntimeMs">The maximum downtime in force after the step.</param>
/// <param name="Iteration">The pre-copy iteration.</param>
/// <param name="DataRemainingBytes">Bytes still to send.</param>
/// <param name="At">When the agent acted.</param>
public sealed record Escalation(string Action, string Reason, long MaxDowntimeMs, int Iteration, long DataRemainingBytes, DateTimeOffset At);
