using Drover.HostAgent.Hosting;

namespace Drover.HostAgent.Steps;

/// <summary>Where this host may migrate a VM to: the hosts <c>Agent:Peers</c> names, at the URI it gives each. A forged
/// command cannot send a guest's memory to any other libvirt.</summary>
public static class Peers
{
    /// <summary>Why this host refuses to migrate to <paramref name="uri"/> (for <paramref name="peer"/> when named), or null.
    /// With no peers configured nothing is checked (the agent says so at start).</summary>
    public static string? Refusal(AgentOptions options, string? peer, string uri)
    {
        if (options.Tls && !IsTls(uri))
            return $"{options.HostName} migrates only over TLS (Agent:Tls): {uri} is not a qemu+tls:// URI";
        if (options.Peers.Count == 0) return null;
        if (peer is null)
            return options.Peers.ContainsValue(uri) ? null : $"{uri} is not the migration URI of any peer of {options.HostName} (Agent:Peers)";
        if (!options.Peers.TryGetValue(peer, out var known))
            return $"{peer} is not a peer of {options.HostName} (Agent:Peers names {string.Join(", ", options.Peers.Keys.Order())})";
        return known == uri ? null : $"{uri} is not {peer}'s migration URI; Agent:Peers gives {known}";
    }

    /// <summary>A libvirt URI whose connection is TLS (a driver with the <c>+tls</c> transport).</summary>
    public static bool IsTls(string uri) =>
        uri.IndexOf("://", StringComparison.Ordinal) is > 0 and var end && uri[..end].EndsWith("+tls", StringComparison.OrdinalIgnoreCase);
}
