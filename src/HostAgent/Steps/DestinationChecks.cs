using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Steps;

/// <summary>
/// The destination's half of a migration's validation: proves shared storage by reading the source's probes here, then
/// checks memory, vCPUs, CPU, name/UUID and versions. Asked on its own by a pre-flight (<see cref="ValidateDestination"/>) and
/// first thing by a migration's <see cref="DefineDomain"/>. Its refusals name <see cref="ValidateDestination"/> as the step
/// that failed: nothing was changed on this host.
/// </summary>
public static class DestinationChecks
{
    /// <summary>Throws <see cref="StepRefusedException"/> for the first requirement this host does not meet; returns its free memory.</summary>
    public static long Require(IHypervisorConnection connection, AgentOptions options, string host, string name, Guid uuid, DomainXml xml, DestinationRequirements r)
    {
        if (DefinitionPolicy.Refusal(xml, name, uuid, options, host) is { } refusal)
            throw Refused(AgentFailureCode.NotPermitted, refusal);
        var paths = new HostPaths(options);
        foreach (var probe in r.Probes)
        {
            if (!paths.Storage(probe.ProbePath))
                throw Refused(AgentFailureCode.NotPermitted, $"Probe {probe.ProbePath} is outside {host}'s storage: not read");
            if (!ProbeMatches(probe))
                throw Refused(AgentFailureCode.StorageNotShared,
                    $"Disk {probe.DiskPath} is not on storage {host} shares with the source (probe {probe.ProbePath} not visible here): " +
                    "a live or non-live migration, or an offline one that undefines the source, needs every disk where both hosts see it");
        }

        // A volume disk must resolve here to the very file the source probed (the same pool, seeing the same storage).
        var probed = r.Probes.Select(p => p.DiskPath).ToHashSet(StringComparer.Ordinal);
        foreach (var disk in xml.Disks.Where(d => d.Type == "volume" && r.Probes.Count > 0))
        {
            string here = PoolVolumes.File(disk, connection, host);
            if (!probed.Contains(here))
                throw Refused(AgentFailureCode.StorageNotShared, $"Disk {disk.Source} resolves on {host} to {here}, not to a file the source uses");
        }

        long free = connection.FreeMemoryKiB;
        if (free < r.MemoryKiB)
            throw Refused(AgentFailureCode.InsufficientResources, $"{host} has {free / 1024} MiB free; the domain needs {r.MemoryKiB / 1024} MiB");
        var info = connection.GetHostInfo();
        if (info.Cpus < r.VCpus)
            throw Refused(AgentFailureCode.InsufficientResources, $"{host} has {info.Cpus} CPUs; the domain has {r.VCpus} vCPUs");

        if (xml.CustomCpuXml is { } cpu && !connection.CanRunCpu(cpu, xml.VirtType))
            throw Refused(AgentFailureCode.CpuIncompatible, $"{host}'s CPU ({info.CpuModel}) cannot provide the domain's CPU model");

        RequireNoConflict(connection, name, uuid, host);

        if (connection.LibvirtVersion < r.SourceLibvirtVersion || connection.HypervisorVersion < r.SourceHypervisorVersion)
            throw Refused(AgentFailureCode.VersionTooOld,
                $"{host} runs libvirt {connection.LibvirtVersion} / QEMU {connection.HypervisorVersion}, older than the source's {r.SourceLibvirtVersion} / {r.SourceHypervisorVersion}");
        return free;
    }

    private static StepRefusedException Refused(AgentFailureCode code, string reason) => new(code, reason) { Step = nameof(ValidateDestination) };

    private static bool ProbeMatches(DiskProbe probe)
    {
        try { return File.ReadAllText(probe.ProbePath) == probe.Token; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>An inactive definition of the same domain (same name and UUID) is fine: it is what define-then-migrate replaces.</summary>
    private static void RequireNoConflict(IHypervisorConnection connection, string name, Guid uuid, string host)
    {
        using (var byName = connection.FindDomain(name))
        {
            if (byName is not null && byName.State.IsActive())
                throw Refused(AgentFailureCode.NameOrUuidConflict, $"A domain named '{name}' is already {byName.State.ToWireName()} on {host}");
            if (byName is not null && byName.Uuid != uuid)
                throw Refused(AgentFailureCode.NameOrUuidConflict, $"{host} has another domain named '{name}' (UUID {byName.Uuid})");
        }
        using var byUuid = connection.FindDomain(uuid.ToString());
        if (byUuid is not null && (byUuid.Name != name || byUuid.State.IsActive()))
            throw Refused(AgentFailureCode.NameOrUuidConflict, $"{host} already has domain '{byUuid.Name}' ({byUuid.State.ToWireName()}) with UUID {uuid}");
    }
}
