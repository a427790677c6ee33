using Drover.Contracts.Agent;

namespace Drover.HostAgent.Steps;

/// <summary>Names and UUIDs from commands are checked before they reach libvirt.</summary>
public static class DomainNames
{
    /// <summary>Throws <see cref="StepRefusedException"/> for anything but a domain name or UUID by <see cref="Names"/>' rule.</summary>
    public static string Require(string? nameOrUuid) => Names.IsDomainOrUuid(nameOrUuid)
        ? nameOrUuid!
        : throw new StepRefusedException(AgentFailureCode.InvalidRequest,
            $"'{Truncate(nameOrUuid)}' is not a valid domain name or UUID ({Names.DomainRule})");

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";
}
