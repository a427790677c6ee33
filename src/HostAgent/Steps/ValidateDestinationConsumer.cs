using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>Proves shared storage by reading the source's probes here, then checks memory, vCPUs, CPU, name/UUID and versions.</summary>
public sealed class ValidateDestinationConsumer(StepRunner runner, IOptions<AgentOptions> options) : IConsumer<ValidateDestination>
{
    public Task Consume(ConsumeContext<ValidateDestination> context)
    {
        var m = context.Message;
        return runner.Run(context, (agent, connection) =>
        {
            string name = DomainNames.Require(m.DomainName);
            string host = agent.Name;
            var xml = DomainXml.Parse(m.MigratableXml);
            if (DefinitionPolicy.Refusal(xml, name, m.DomainUuid, options.Value, host) is { } refusal)
                throw new StepRefusedException(AgentFailureCode.NotPermitted, refusal);
            var paths = new HostPaths(options.Value);
            foreach (var probe in m.Probes)
            {
                if (!paths.Storage(probe.ProbePath))
                    throw new StepRefusedException(AgentFailureCode.NotPermitted, $"Probe {probe.ProbePath} is outside {host}'s storage: not read");
                if (!ProbeMatches(probe))
                    throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                        $"Disk {probe.DiskPath} is not on storage {host} shares with the source (probe {probe.ProbePath} not visible here): " +
                        "a live or non-live migration, or an offline one that undefines the source, needs every disk where both hosts see it");
            }

            // A volume disk must resolve here to the very file the source probed (the same pool, seeing the same storage).
            var probed = m.Probes.Select(p => p.DiskPath).ToHashSet(StringComparer.Ordinal);
            foreach (var disk in xml.Disks.Where(d => d.Type == "volume" && m.Probes.Count > 0))
            {
                string here = PoolVolumes.File(disk, connection, host);
                if (!probed.Contains(here))
                    throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                        $"Disk {disk.Source} resolves on {host} to {here}, not to a file the source uses");
            }

            long free = connection.FreeMemoryKiB;
            if (free < m.MemoryKiB)
                throw new StepRefusedException(AgentFailureCode.InsufficientResources,
                    $"{host} has {free / 1024} MiB free; the domain needs {m.MemoryKiB / 1024} MiB");
            var info = connection.GetHostInfo();
            if (info.Cpus < m.VCpus)
                throw new StepRefusedException(AgentFailureCode.InsufficientResources, $"{host} has {info.Cpus} CPUs; the domain has {m.VCpus} vCPUs");

            if (xml.CustomCpuXml is { } cpu && !connection.CanRunCpu(cpu, xml.VirtType))
                throw new StepRefusedException(AgentFailureCode.CpuIncompatible, $"{host}'s CPU ({info.CpuModel}) cannot provide the domain's CPU model");

            RequireNoConflict(connection, name, m.DomainUuid, host);

            if (connection.LibvirtVersion < m.SourceLibvirtVersion || connection.HypervisorVersion < m.SourceHypervisorVersion)
                throw new StepRefusedException(AgentFailureCode.VersionTooOld,
                    $"{host} runs libvirt {connection.LibvirtVersion} / QEMU {connection.HypervisorVersion}, older than the source's {m.SourceLibvirtVersion} / {m.SourceHypervisorVersion}");

            return new DestinationValidated { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host, FreeMemoryKiB = free };
        });
    }

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
                throw new StepRefusedException(AgentFailureCode.NameOrUuidConflict, $"A domain named '{name}' is already {byName.State.ToWireName()} on {host}");
            if (byName is not null && byName.Uuid != uuid)
                throw new StepRefusedException(AgentFailureCode.NameOrUuidConflict, $"{host} has another domain named '{name}' (UUID {byName.Uuid})");
        }
        using var byUuid = connection.FindDomain(uuid.ToString());
        if (byUuid is not null && (byUuid.Name != name || byUuid.State.IsActive()))
            throw new StepRefusedException(AgentFailureCode.NameOrUuidConflict, $"{host} already has domain '{byUuid.Name}' ({byUuid.State.ToWireName()}) with UUID {uuid}");
    }
}
