namespace Drover.Coordinator.Security;

/// <summary>Whose word the coordinator takes.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Verified (the default): an agent event or heartbeat about host H counts only when the broker's validated
    /// sender is H's agent user (<c>agent-H</c>); anything else is dropped and logged as a security event. Unchecked takes
    /// every sender's word: only for a broker where one user serves every process (the simulated hosts of the capacity
    /// benchmark), never in production.</summary>
    public AgentOrigin AgentOrigin { get; set; } = AgentOrigin.Verified;
}

public enum AgentOrigin
{
    Verified,
    Unchecked,
}
