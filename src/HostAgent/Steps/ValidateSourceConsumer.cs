using System.Security.Cryptography;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Checks the domain can leave with the asked kind, classifies its disks and writes a probe beside each disk that must be shared.</summary>
public sealed class ValidateSourceConsumer(StepRunner runner) : IConsumer<ValidateSource>
{
    public Task Consume(ConsumeContext<ValidateSource> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, connection) =>
        {
            using var domain = connection.FindDomain(DomainNames.Require(m.Domain))
                ?? throw new StepRefusedException(AgentFailureCode.DomainNotFound, $"No domain '{m.Domain}' on {host.Name}");
            var state = domain.State;
            RequireStateFits(m.Kind, state, domain.Name);
            var xml = DomainXml.Parse(domain.GetXml());
            if (xml.HostDevices.Count > 0)
                throw new StepRefusedException(AgentFailureCode.UnmigratableDevice,
                    $"Domain '{domain.Name}' has host devices that cannot migrate: {string.Join(", ", xml.HostDevices)}");

            if (m.DisksMustBeShared && xml.BlockDisks.Count > 0)
                throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                    $"Block devices cannot be proven shared: {string.Join(", ", xml.BlockDisks)}; ask for storage copy or use file disks on shared storage");
            var probes = m.DisksMustBeShared ? xml.FileDisks.Select((disk, i) => WriteProbe(m.MigrationId, disk, i)).ToList() : [];
            var (memoryKiB, vcpus) = domain.Size;
            return new SourceValidated
            {
                MigrationId = m.MigrationId,
                Ticket = m.Ticket,
                Host = host.Name,
                DomainName = domain.Name,
                DomainUuid = domain.Uuid,
                WasActive = state.IsActive(),
                WasRunning = state is DomainRunState.Running or DomainRunState.Blocked,
                Autostart = domain.IsPersistent && domain.Autostart,
                MigratableXml = domain.GetXml(migratable: true),
                MemoryKiB = memoryKiB,
                VCpus = vcpus,
                Probes = probes,
                LocalDisks = m.DisksMustBeShared ? [] : [.. xml.FileDisks, .. xml.BlockDisks],
                LibvirtVersion = connection.LibvirtVersion,
                HypervisorVersion = connection.HypervisorVersion,
            };
        });
    }

    private static void RequireStateFits(MigrationKind kind, DomainRunState state, string name)
    {
        if (kind == MigrationKind.Offline && state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{name}' is {state.ToWireName()}: offline migration needs it shut off (libvirt would leave it defined on both hosts while it runs here)");
        if (kind != MigrationKind.Offline && !state.IsActive())
            throw new StepRefusedException(AgentFailureCode.WrongDomainState,
                $"Domain '{name}' is {state.ToWireName()}: {kind} migration needs it running; use the offline kind for a shut-off VM");
    }

    private static DiskProbe WriteProbe(Guid migrationId, string disk, int index)
    {
        string dir = Path.GetDirectoryName(disk) ?? "/";
        string probe = Path.Combine(dir, $".drover-probe-{migrationId:N}-{index}");
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        try
        {
            File.WriteAllText(probe, token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StepRefusedException(AgentFailureCode.StorageNotShared, $"Cannot write a storage probe beside disk {disk}: {e.Message}");
        }
        return new DiskProbe { DiskPath = disk, ProbePath = probe, Token = token };
    }
}
