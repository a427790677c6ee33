using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>Drives the agents through the saga's steps by hand, as the coordinator would, and returns their answers.</summary>
public sealed class AgentSteps(AgentFixture lab)
{
    /// <summary>Sends a command to the host's agent and waits for its outcome: one of <paramref name="outcomes"/> or a StepFailed for it.</summary>
    public async Task<object> Send(LabHost host, object command, Guid migrationId, params Type[] outcomes)
    {
        string step = command.GetType().Name;
        // A definition's checks refuse as the destination's validation (nothing was defined).
        string[] failedSteps = command is DefineDomain { Requirements: not null } ? [step, nameof(ValidateDestination)] : [step];
        int before = lab.Bus.Events.All<object>().Count;   // only answers to this sending
        await lab.Bus.SendToAgent(host.Name, command);
        return await Eventually.Get(
            () => lab.Bus.Events.All<object>().Skip(before).FirstOrDefault(e =>
                (outcomes.Contains(e.GetType()) && MigrationOf(e) == migrationId) || (e is StepFailed f && f.MigrationId == migrationId && failedSteps.Contains(f.Step))),
            TimeSpan.FromSeconds(90), $"the outcome of {step}");
    }

    public async Task<TOutcome> Expect<TOutcome>(LabHost host, object command, Guid migrationId) where TOutcome : class
    {
        var outcome = await Send(host, command, migrationId, typeof(TOutcome));
        return outcome as TOutcome ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(TOutcome).Name}, got {Describe(outcome)}");
    }

    public async Task<StepFailed> ExpectFailure(LabHost host, object command, Guid migrationId) =>
        Assert.IsType<StepFailed>(await Send(host, command, migrationId));

    /// <summary>The saga's first two steps: validate on the source, check and define on the destination. Returns the migration and the source's answer.</summary>
    public async Task<(Guid Id, SourceValidated Source)> ValidateAndDefine(string vm, LabHost from, LabHost to, MigrationKind kind)
    {
        var id = Guid.NewGuid();
        var source = await Expect<SourceValidated>(from, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = id, Domain = vm, Kind = kind }, id);
        await Expect<DomainDefined>(to, DefineFor(source), id);
        return (id, source);
    }

    /// <summary>Validate, define, transfer, cut over (the destination's final shape) and clean up the source, as the saga does on success.</summary>
    public async Task<MemoryTransferred?> Migrate(string vm, LabHost from, LabHost to, MigrationKind kind, bool persistent = false, bool undefineSource = false)
    {
        var id = Guid.NewGuid();
        var source = await Expect<SourceValidated>(from, new ValidateSource { Ticket = Tickets.Valid(), MigrationId = id, Domain = vm, Kind = kind }, id);
        await Expect<DomainDefined>(to, DefineFor(source), id);
        var transferred = await Expect<MemoryTransferred>(from, TransferFor(id, vm, kind, to), id);
        var cutOver = await Expect<CutOverCompleted>(to, new CutOver
        {
            Ticket = Tickets.Valid(), MigrationId = id, DomainName = vm, Kind = kind, Persistent = persistent, Autostart = source.Autostart,
        }, id);
        Assert.Null(cutOver.CleanUpWarning);
        Assert.Equal(to.IsPersistent(vm), cutOver.Persistent);   // what it says is what libvirt has
        await Expect<SourceCleanedUp>(from, new CleanUpSource
        {
            Ticket = Tickets.Valid(), MigrationId = id, DomainName = vm, UndefineSource = undefineSource, DisableAutostart = true,
            ProbePaths = source.Probes.Select(p => p.ProbePath).ToList(),
        }, id);
        return transferred;
    }

    /// <summary>The saga's definition: the destination checks that it can take the domain, then defines it.</summary>
    public static DefineDomain DefineFor(SourceValidated s) => new()
    {
        MigrationId = s.MigrationId, Ticket = Tickets.Valid(), DomainName = s.DomainName, DomainUuid = s.DomainUuid, MigratableXml = s.MigratableXml,
        Requirements = DestinationRequirements.Of(s),
    };

    /// <summary>A pre-flight's question to the destination.</summary>
    public static ValidateDestination ValidateDestinationFor(SourceValidated s) => new()
    {
        MigrationId = s.MigrationId,
        Ticket = Tickets.Valid(),
        DomainName = s.DomainName,
        DomainUuid = s.DomainUuid,
        MigratableXml = s.MigratableXml,
        Requirements = DestinationRequirements.Of(s),
    };

    public static TransferMemory TransferFor(Guid id, string vm, MigrationKind kind, LabHost to, MigrationTuning? tuning = null) => new()
    {
        MigrationId = id,
        Ticket = Tickets.Valid(),
        DomainName = vm,
        Kind = kind,
        DestinationHost = to.Name,
        DestinationMigrationUri = to.MigrationUri,
        StorageVerified = true,
        Tuning = tuning ?? new MigrationTuning(),
    };

    private static Guid? MigrationOf(object e) => e.GetType().GetProperty("MigrationId")?.GetValue(e) as Guid?;

    private static string Describe(object o) => o is StepFailed f ? $"StepFailed {f.Code}: {f.Reason}" : o.GetType().Name;
}
