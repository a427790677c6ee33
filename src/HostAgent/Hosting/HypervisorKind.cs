namespace Drover.HostAgent.Hosting;

/// <summary>What an agent drives.</summary>
public enum HypervisorKind
{
    /// <summary>The host's libvirtd: the only kind that moves real VMs.</summary>
    Libvirt,

    /// <summary>Many simulated hosts in this process, for measuring the control plane (never the default).</summary>
    Simulated,
}
