using System.ComponentModel.DataAnnotations;

namespace Drover.HostAgent.Hosting;

/// <summary>Who this agent is and which libvirt it drives.</summary>
public sealed class AgentOptions : IValidatableObject
{
    public const string Section = "Agent";

    /// <summary>The host's name; the agent consumes queue <c>host-agent-{HostName}</c>. With simulated hypervisors, the
    /// prefix of the simulated hosts' names (<c>{HostName}-01</c>, ...).</summary>
    [Required, RegularExpression(Names.HostPattern, ErrorMessage = "HostName must be " + Names.HostRule)]
    public string HostName { get; set; } = "";

    /// <summary>The local libvirt.</summary>
    [Required]
    public string LibvirtUri { get; set; } = "qemu:///system";

    /// <summary>The URI other hosts' libvirtd use to migrate to this host (qemu+tls://... in production).</summary>
    public string MigrationUri { get; set; } = "";

    /// <summary>libvirt (the default, and the only kind that moves real VMs), or simulated hosts for capacity work.</summary>
    public HypervisorKind Hypervisor { get; set; } = HypervisorKind.Libvirt;

    /// <summary>The simulated hosts and their timing model, when <see cref="Hypervisor"/> is <see cref="HypervisorKind.Simulated"/>.</summary>
    public Hypervisors.Simulated.SimulatedOptions Simulated { get; set; } = new();

    /// <summary>Directories this host shares with others (reported in heartbeats).</summary>
    public List<string> SharedStorage { get; set; } = [];

    /// <summary>Directories of this host's own (not shared) guest files: disks, NVRAM, serial logs.</summary>
    public List<string> LocalStorage { get; set; } = ["/var/lib/libvirt/images"];

    /// <summary>Where the agent keeps what must outlive a command on this host (the definitions a migration replaced).</summary>
    [Required]
    public string StateDirectory { get; set; } = "/var/lib/drover-agent";

    /// <summary>Whether definitions sent to this host may pass host devices through (PCI, USB, hostdev interfaces).</summary>
    public bool AllowHostDevices { get; set; }

    /// <summary>The hosts this agent may migrate to, by name, each with its libvirt migration URI: a TransferMemory to any other
    /// host or URI is refused. Empty leaves destinations unchecked (logged at start): for a lab, never for production.</summary>
    public Dictionary<string, string> Peers { get; set; } = [];

    /// <summary>Migrate only over TLS: the libvirt connection to a peer must be <c>qemu+tls://</c> (this host's
    /// <see cref="MigrationUri"/> and every peer's too) and QEMU's migration stream is encrypted (VIR_MIGRATE_TLS, with the
    /// certificates in libvirt's <c>migrate_tls_x509_cert_dir</c>). A command naming a plain URI is refused.</summary>
    public bool Tls { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a read of the host (the heartbeat's) may take before libvirtd counts as not answering and the host is
    /// reported Degraded. Slow is not hung: on two busy cores a read took 3.7 s (measured), so keep it well above that.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan HypervisorTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the heartbeat loop or libvirt's event loop may go without a turn before the agent reports itself not
    /// live (<c>/health/live</c>, the systemd watchdog). A heartbeat turn may wait for a publish (3 intervals) and a hung libvirtd
    /// (its keepalive closes the connection after 15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan LivenessTimeout { get; set; } = TimeSpan.FromSeconds(90);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many commands the agent handles at once (a running transfer holds one).</summary>
    [Range(2, 64)]
    public int ConcurrentCommands { get; set; } = 8;

    /// <summary>The convergence ladder for live migrations that do not converge.</summary>
    public Transfers.ConvergenceOptions Convergence { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Hypervisor == HypervisorKind.Libvirt && string.IsNullOrWhiteSpace(MigrationUri))
            yield return new ValidationResult("MigrationUri is required: the URI other hosts' libvirtd migrate to this host with", [nameof(MigrationUri)]);
        if (Tls && Hypervisor == HypervisorKind.Libvirt)
        {
            if (!Steps.Peers.IsTls(MigrationUri))
                yield return new ValidationResult($"Tls: MigrationUri must be a qemu+tls:// URI, not '{MigrationUri}'", [nameof(MigrationUri)]);
            foreach (var (peer, uri) in Peers.Where(p => !Steps.Peers.IsTls(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal))
                yield return new ValidationResult($"Tls: peer {peer}'s URI must be qemu+tls://, not '{uri}'", [$"{nameof(Peers)}:{peer}"]);
        }
        if (Hypervisor == HypervisorKind.Simulated)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(Simulated, new ValidationContext(Simulated), results, validateAllProperties: true);
            foreach (var r in results) yield return new ValidationResult($"Simulated: {r.ErrorMessage}", r.MemberNames.Select(n => $"{nameof(Simulated)}:{n}"));
        }
    }
}
