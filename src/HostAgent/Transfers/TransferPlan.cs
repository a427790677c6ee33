using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Steps;

namespace Drover.HostAgent.Transfers;

/// <summary>What libvirt is asked to do for a <see cref="TransferMemory"/>: the flags for its kind and tuning, and the
/// domain state the kind needs. Pure but for reading the domain's state.</summary>
internal static class TransferPlan
{
    /// <summary>Checks the domain's state fits the kind. A non-live migration is libvirt's own: without the live flag it
    /// pauses the VM for the copy and resumes it on the destination inside its migration protocol, so a destination that
    /// cannot resume hands the VM back to the source (measured: a VM that arrives paused and never ran cannot be moved
    /// back on QEMU 7.2).</summary>
    public static void RequireStateFits(TransferMemory m, IHypervisorDomain domain, string host)
    {
        var state = domain.State;
        if (m.Kind == MigrationKind.Offline && state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{m.DomainName}' is {state.ToWireName()}: offline migration needs it shut off");
        if (m.Kind != MigrationKind.Offline && !state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{m.DomainName}' is {state.ToWireName()} on {host}: nothing to transfer (already moved, or stopped)");
    }

    /// <param name="tls">Encrypt QEMU's migration stream (Agent:Tls).</param>
    public static MigrationRequest Request(TransferMemory m, bool tls)
    {
        var flags = MigrationFlags.PeerToPeer;
        flags |= m.Kind switch
        {
            MigrationKind.Live => MigrationFlags.Live,
            MigrationKind.NonLive => MigrationFlags.None,
            _ => MigrationFlags.Offline | MigrationFlags.PersistDestination,
        };
        if (m.Kind != MigrationKind.Offline)
        {
            // libvirt cannot tell that a plain directory is shared; our probes proved it, so say it is safe.
            if (m.StorageVerified) flags |= MigrationFlags.Unsafe;
            if (m.Tuning.CopyStorage) flags |= MigrationFlags.NonSharedDisk;
            if (m.Tuning.AutoConverge) flags |= MigrationFlags.AutoConverge;
            if (m.Tuning.PostCopyAllowed && m.Kind == MigrationKind.Live) flags |= MigrationFlags.PostCopy;
            if (tls) flags |= MigrationFlags.Tls;   // an offline migration has no stream: its definition goes over the qemu+tls:// connection
        }
        return new MigrationRequest
        {
            DestinationUri = m.DestinationMigrationUri,
            Flags = flags,
            BandwidthMiBps = m.Tuning.BandwidthMiBps is > 0 and var b ? (ulong)b : null,
        };
    }
}
