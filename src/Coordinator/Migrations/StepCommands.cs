using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.ServiceDefaults;

namespace Drover.Coordinator.Migrations;

/// <summary>The commands a migration's current state waits on, and where they go. Used to send a step and to send it again.</summary>
public static class StepCommands
{
    public static Uri AgentQueue(string host) => QueueAddress.For(Names.AgentQueue(host));

    /// <summary>The ticket the current step's commands carry: valid until the step's deadline plus one step timeout of grace.</summary>
    public static StepTicket Ticket(MigrationState s, SagaOptions o) => new()
    {
        Step = s.CurrentState, Attempt = s.Attempt, Sequence = s.StepSequence,
        NotAfter = new DateTimeOffset(DateTime.SpecifyKind(s.StepDeadline ?? DateTime.UtcNow, DateTimeKind.Utc)) + o.StepTimeout,
    };

    public static IEnumerable<(string Host, object Command)> For(MigrationState s, StepTicket ticket)
    {
        var id = s.CorrelationId;
        string vm = s.DomainName ?? s.Vm;
        string destination = s.DestinationHost!;
        switch (s.CurrentState)
        {
            case nameof(MigrationStatus.ValidatingStorage):
                yield return (s.SourceHost, new ValidateSource { MigrationId = id, Ticket = ticket, Domain = s.Vm, Kind = s.Kind, CopyStorage = s.CopyStorage, UndefineSource = s.UndefineSource });
                break;
            case nameof(MigrationStatus.DefiningDomain):   // the destination checks first that it can take the domain
                yield return (destination, new DefineDomain { MigrationId = id, Ticket = ticket, DomainName = vm, DomainUuid = s.DomainUuid!.Value, MigratableXml = s.MigratableXml!,
                    CreateDisks = s.CopiedDisks, StreamDisks = s.Kind == MigrationKind.Offline,
                    Requirements = new DestinationRequirements
                    {
                        MemoryKiB = s.MemoryKiB, VCpus = s.VCpus, Probes = Probes(s), SourceLibvirtVersion = s.SourceLibvirtVersion, SourceHypervisorVersion = s.SourceHypervisorVersion,
                    } });
                break;
            case nameof(MigrationStatus.TransferringMemory):
                yield return (s.SourceHost, new TransferMemory
                {
                    MigrationId = id, Ticket = ticket, DomainName = vm, Kind = s.Kind, DestinationHost = destination,
                    DestinationMigrationUri = s.DestinationMigrationUri!,
                    StorageVerified = !s.CopyStorage,   // probes proved every disk shared; copied disks need no such claim
                    StreamDisks = s.Kind == MigrationKind.Offline ? s.CopiedDisks : [],
                    Tuning = new MigrationTuning
                    {
                        BandwidthMiBps = s.BandwidthMiBps, MaxDowntimeMs = s.MaxDowntimeMs, AutoConverge = s.AutoConverge,
                        PostCopyAllowed = s.PostCopyAllowed, FallBackToNonLiveAllowed = s.FallBackToNonLiveAllowed, CopyStorage = s.CopyStorage,
                    },
                });
                break;
            case nameof(MigrationStatus.CuttingOver):
                yield return (destination, new CutOver { MigrationId = id, Ticket = ticket, DomainName = vm, Kind = s.Kind, WasRunning = s.WasRunning,
                    VerifyDisks = s.Kind == MigrationKind.Offline ? s.CopiedDisks : [], Persistent = s.Persistent, Autostart = s.Autostart });
                break;
            case nameof(MigrationStatus.CleaningUp):   // the destination took its final shape at the cut-over
                yield return (s.SourceHost, new CleanUpSource { MigrationId = id, Ticket = ticket, DomainName = vm, UndefineSource = s.UndefineSource, DisableAutostart = true, ProbePaths = ProbePaths(s),
                    RemoveDisks = s.UndefineSource ? [.. s.CopiedDisks.Select(d => d.Path)] : [] });
                break;
            case nameof(MigrationStatus.RollingBack):
                if (!s.DestinationDone) yield return (destination, new UndefineDomain { MigrationId = id, Ticket = ticket, DomainName = vm, RestorePrevious = s.DestinationKeptDefinition });
                if (!s.SourceDone) yield return (s.SourceHost, new ResumeDomain { MigrationId = id, Ticket = ticket, DomainName = vm, WasRunning = s.WasRunning });
                break;
            case nameof(MigrationStatus.Reconciling):
                if (s.SourceFacts is null)
                    yield return (s.SourceHost, new QueryDomain { MigrationId = id, Ticket = ticket, DomainName = vm, AbortRunningTransfer = s.AbortOnReconcile });
                if (s.DestinationFacts is null)
                    yield return (destination, new QueryDomain { MigrationId = id, Ticket = ticket, DomainName = vm });
                break;
        }
    }

    /// <summary>The hosts the current step's commands go to: the only hosts whose answers count.</summary>
    public static IEnumerable<string> Hosts(MigrationState s) => For(s, AnyTicket).Select(c => c.Host);

    private static readonly StepTicket AnyTicket = new() { Step = "", Attempt = 0, Sequence = 0, NotAfter = DateTimeOffset.MinValue };

    /// <summary>Removes the probe files a validation wrote (after a rejection: nothing else to undo). Outside any step: its answer changes nothing.</summary>
    public static CleanUpSource RemoveProbes(MigrationState s) => new()
    {
        MigrationId = s.CorrelationId, DomainName = s.DomainName ?? s.Vm, UndefineSource = false, ProbePaths = ProbePaths(s),
        Ticket = new StepTicket { Step = "RemoveProbes", Attempt = s.Attempt, Sequence = 0, NotAfter = DateTimeOffset.MaxValue },
    };

    public static IReadOnlyList<DiskProbe> Probes(MigrationState s) => s.Probes;

    private static List<string> ProbePaths(MigrationState s) => Probes(s).Select(p => p.ProbePath).ToList();

    /// <summary>How long the current step may take before the sweeper acts. An offline copy's cut-over reads every copied
    /// image back on the destination (its checksum): it gets time for that too.</summary>
    public static TimeSpan Timeout(MigrationState s, SagaOptions o) =>
        s.Is(MigrationStatus.TransferringMemory) ? o.TransferSilenceTimeout
        : s.Is(MigrationStatus.CuttingOver) && s.Kind == MigrationKind.Offline
            ? o.StepTimeout + TimeSpan.FromSeconds(s.CopiedDisks.Sum(d => (double)d.CapacityBytes) / VerifyBytesPerSecond)
            : o.StepTimeout;

    /// <summary>The slowest rate at which a destination is expected to read a copied image back (local storage).</summary>
    private const double VerifyBytesPerSecond = 100 << 20;
}
