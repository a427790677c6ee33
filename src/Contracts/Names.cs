using System.Text.RegularExpressions;

namespace Drover.Contracts;

/// <summary>The naming rules every process applies (the API, the saga, the agents), and the queues named after hosts.</summary>
public static partial class Names
{
    /// <summary>A host: a DNS label, 1-63 lowercase letters, digits or '-', starting with a letter or digit.</summary>
    public const string HostPattern = "^[a-z0-9][a-z0-9-]{0,62}$";

    /// <summary>The host rule in words, for error messages.</summary>
    public const string HostRule = "1-63 lowercase letters, digits or '-'";

    /// <summary>The longest domain name Drover accepts.</summary>
    public const int MaxDomainNameLength = 64;

    /// <summary>The domain rule in words, for error messages.</summary>
    public const string DomainRule = "1-64 characters: letters, digits, '_', '.', '+' and '-', starting with a letter or digit";

    [GeneratedRegex(HostPattern)]
    private static partial Regex Host();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$")]
    private static partial Regex Domain();

    /// <summary>Whether <paramref name="name"/> is a valid host name.</summary>
    public static bool IsHost(string? name) => name is not null && Host().IsMatch(name);

    /// <summary>Whether <paramref name="name"/> is a valid domain name (never XML metacharacters, quotes or spaces).</summary>
    public static bool IsDomain(string? name) => name is not null && Domain().IsMatch(name);

    /// <summary>A domain named by its name or its UUID.</summary>
    public static bool IsDomainOrUuid(string? nameOrUuid) => Guid.TryParse(nameOrUuid, out _) || IsDomain(nameOrUuid);

    /// <summary>The queue a host's agent consumes its commands from.</summary>
    public static string AgentQueue(string host) => $"host-agent-{host}";

    /// <summary>The broker user of a host's agent: the only sender whose events and heartbeats about that host count.</summary>
    public static string AgentUser(string host) => $"agent-{host}";
}
