using System.Text.RegularExpressions;
using Drover.Contracts.Agent;

namespace Drover.HostAgent.Steps;

/// <summary>Names and UUIDs from commands are checked before they reach libvirt.</summary>
public static partial class DomainNames
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$")]
    private static partial Regex NamePattern();

    public static bool IsValid(string? nameOrUuid) =>
        !string.IsNullOrEmpty(nameOrUuid) && (Guid.TryParse(nameOrUuid, out _) || NamePattern().IsMatch(nameOrUuid));

    /// <summary>Throws <see cref="StepRefusedException"/> for a name that is empty, too long or has characters outside [A-Za-z0-9_.+-].</summary>
    public static string Require(string? nameOrUuid) => IsValid(nameOrUuid)
        ? nameOrUuid!
        : throw new StepRefusedException(AgentFailureCode.InvalidRequest,
            $"'{Truncate(nameOrUuid)}' is not a valid domain name or UUID (1-64 characters: letters, digits, '_', '.', '+', '-')");

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";
}
