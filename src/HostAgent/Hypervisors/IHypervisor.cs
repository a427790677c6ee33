namespace Drover.HostAgent.Hypervisors;

/// <summary>One host's hypervisor as the agent's steps see it: libvirt on a real host, or a simulated one for capacity work.</summary>
public interface IHypervisor
{
    /// <summary>The host's name; its agent consumes queue <c>host-agent-{HostName}</c>.</summary>
    string HostName { get; }

    /// <summary>The URI other hosts' hypervisors migrate to.</summary>
    string MigrationUri { get; }

    /// <summary>Directories this host shares with others (reported in heartbeats).</summary>
    IReadOnlyList<string> SharedStorage { get; }

    /// <summary>Where the hypervisor is reached, for health reports.</summary>
    string Endpoint { get; }

    /// <summary>The open connection, opened again when the hypervisor went away; a <see cref="Libvirt.LibvirtException"/>
    /// when it does not answer.</summary>
    IHypervisorConnection Connection { get; }

    /// <summary>Whether the agent holds a connection the hypervisor still answers on (no round trip).</summary>
    bool IsConnected { get; }

    /// <summary>Runs <paramref name="use"/> on a connection of its own to another host's hypervisor (a peer's migration
    /// URI), closed afterwards.</summary>
    T WithPeer<T>(string uri, Func<IHypervisorConnection, T> use);
}
