using System.Text.Json;
using Drover.Contracts;
using Drover.Contracts.Agent;

namespace Drover.Coordinator.Migrations;

/// <summary>The commands a migration's current state waits on, and where they go. Used to send a step and to re-send it when overdue.</summary>
public static class StepCommands
{
    public static Uri AgentQueue(string host) => new($"queue:host-agent-{host}");

    public static IEnumerable<(string Host, object Command)> For(MigrationState s)
    {
        var id = s.CorrelationId;
        string vm = s.DomainName ?? s.Vm;
        string destination = s.DestinationHost!;
        switch (s.CurrentState)
        {
            case "ValidatingStorage" when s.MigratableXml is null:
                yield return (s.SourceHost, new ValidateSource { MigrationId = id, Domain = s.Vm, Kind = s.Kind, CopyStorage = s.CopyStorage });
                break;
            case "ValidatingStorage":
                yield return (destination, new ValidateDestination
                {
                    MigrationId = id, DomainName = vm, DomainUuid = s.DomainUuid!.Value, MigratableXml = s.MigratableXml,
                    MemoryKiB = s.MemoryKiB, VCpus = s.VCpus, Probes = Probes(s),
                    SourceLibvirtVersion = s.SourceLibvirtVersion, SourceHypervisorVersion = s.SourceHypervisorVersion,
                });
                break;
            case "DefiningDomain":
                yield return (destination, new DefineDomain { MigrationId = id, MigratableXml = s.MigratableXml! });
                break;
            case "TransferringMemory":
                yield return (s.SourceHost, new TransferMemory
                {
                    MigrationId = id, DomainName = vm, Kind = s.Kind, DestinationHost = destination,
                    DestinationMigrationUri = s.DestinationMigrationUri!, StorageVerified = true,
                    Tuning = new MigrationTuning
                    {
                        BandwidthMiBps = s.BandwidthMiBps, MaxDowntimeMs = s.MaxDowntimeMs, AutoConverge = s.AutoConverge,
                        PostCopyAllowed = s.PostCopyAllowed, FallBackToNonLiveAllowed = s.FallBackToNonLiveAllowed, CopyStorage = s.CopyStorage,
                    },
                });
                break;
            case "CuttingOver":
                yield return (destination, new CutOver { MigrationId = id, DomainName = vm, Kind = s.Kind, WasRunning = s.WasRunning });
                break;
            case "CleaningUp":
                if (!s.SourceDone)
                    yield return (s.SourceHost, new CleanUpSource { MigrationId = id, DomainName = vm, UndefineSource = s.UndefineSource, ProbePaths = ProbePaths(s) });
                if (!s.DestinationDone)
                    yield return (destination, new CleanUpDestination { MigrationId = id, DomainName = vm, Persistent = s.Persistent });
                break;
            case "MigratingBack":
                yield return (destination, new MigrateBack { MigrationId = id, DomainName = vm, SourceMigrationUri = s.SourceMigrationUri! });
                break;
            case "RollingBack":
                if (!s.DestinationDone) yield return (destination, new UndefineDomain { MigrationId = id, DomainName = vm, RestoreXml = s.DestinationPreviousXml });
                if (!s.SourceDone) yield return (s.SourceHost, new ResumeDomain { MigrationId = id, DomainName = vm, WasRunning = s.WasRunning });
                break;
            case "Reconciling":
                yield return (s.SourceHost, new QueryDomain { MigrationId = id, DomainName = vm });
                yield return (destination, new QueryDomain { MigrationId = id, DomainName = vm });
                break;
        }
    }

    /// <summary>Removes the probe files a validation wrote (after a rejection: nothing else to undo).</summary>
    public static CleanUpSource RemoveProbes(MigrationState s) =>
        new() { MigrationId = s.CorrelationId, DomainName = s.DomainName ?? s.Vm, UndefineSource = false, ProbePaths = ProbePaths(s) };

    public static IReadOnlyList<DiskProbe> Probes(MigrationState s) => JsonSerializer.Deserialize<List<DiskProbe>>(s.ProbesJson) ?? [];

    private static List<string> ProbePaths(MigrationState s) => Probes(s).Select(p => p.ProbePath).ToList();

    /// <summary>How long the current step may take before the sweeper acts.</summary>
    public static TimeSpan Timeout(MigrationState s, SagaOptions o) =>
        s.CurrentState == "TransferringMemory" ? o.TransferSilenceTimeout : o.StepTimeout;
}
