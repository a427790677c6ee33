using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Migrations;
using Drover.TestSupport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Drover.Coordinator.Tests.Saga;

/// <summary>The migration state machine on MassTransit's in-memory test harness: the pure state logic, no agents, no database.</summary>
public sealed class SagaHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private SagaHarness(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<MigrationStateMachine, MigrationState>();
    }

    public ITestHarness Harness { get; }

    public ISagaStateMachineTestHarness<MigrationStateMachine, MigrationState> Saga { get; }

    public MigrationStateMachine Machine => Saga.StateMachine;

    public Guid Id { get; } = Guid.NewGuid();

    public static async Task<SagaHarness> Start()
    {
        var services = new ServiceCollection()
            .AddLogging()   // no providers: the harness would otherwise write every message to the console
            .AddSingleton(TimeProvider.System)
            .AddMigrationStateObserver();
        services.AddOptions<SagaOptions>();
        services.AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();
            x.AddSagaStateMachine<MigrationStateMachine, MigrationState>().InMemoryRepository();
        });
        var harness = new SagaHarness(services.BuildServiceProvider(true));
        await harness.Harness.Start();
        return harness;
    }

    public MigrateVm Request(MigrationKind kind = MigrationKind.Live, int? maxAttempts = 1) =>
        new() { MigrationId = Id, Vm = "web01", SourceHost = "kvm-a", DestinationHost = "kvm-b", Kind = kind, MaxAttempts = maxAttempts, RequestedBy = RequestedBy };

    /// <summary>Who the requests say asked (a fleet job's tag, for example).</summary>
    public string? RequestedBy { get; set; }

    public Task Publish<T>(T message) where T : class => Harness.Bus.Publish(message);

    /// <summary>Waits until the saga is in <paramref name="state"/> (the harness's own bounded wait).</summary>
    public async Task InState(Func<MigrationStateMachine, State> state)
    {
        var found = await Saga.Exists(Id, state);
        Assert.True(found.HasValue, $"saga not in {state(Machine).Name}; it is {Current?.CurrentState ?? "absent"}");
        // A state with a step is entered before its commands go out: wait for them, so that Ticket is the step's own.
        if (MigrationStatuses.Active.Contains(state(Machine).Name))
            await Eventually.True(() => Harness.Sent.Select<IStepCommand>(m => m.Context.Message.MigrationId == Id
                && m.Context.Message.Ticket.Step == Current!.CurrentState && m.Context.Message.Ticket.Sequence == Ticket.Sequence).Any(),
                TimeSpan.FromSeconds(10), $"the commands of {state(Machine).Name}");
    }

    public MigrationState? Current => Saga.Sagas.Contains(Id);

    public async Task<T> Sent<T>() where T : class
    {
        await Eventually.True(() => SentCount<T>() > 0, TimeSpan.FromSeconds(10), $"a {typeof(T).Name} to be sent");
        return Harness.Sent.Select<T>(m => Correlates(m.Context.Message)).Last().Context.Message;
    }

    public int SentCount<T>() where T : class => Harness.Sent.Select<T>(m => Correlates(m.Context.Message)).Count();

    public async Task<T> Published<T>() where T : class
    {
        await Eventually.True(() => Harness.Published.Select<T>(m => Correlates(m.Context.Message)).Any(), TimeSpan.FromSeconds(10), $"a {typeof(T).Name} to be published");
        return Harness.Published.Select<T>(m => Correlates(m.Context.Message)).Last().Context.Message;
    }

    /// <summary>Drives a live migration up to <paramref name="until"/> with the agents' answers.</summary>
    public async Task AdvanceTo(Func<MigrationStateMachine, State> until, MigrationKind kind = MigrationKind.Live, int? maxAttempts = 1)
    {
        await Publish(Request(kind, maxAttempts));
        await InState(m => m.Queued);
        if (until(Machine) == Machine.Queued) return;
        await Admit();
        await InState(m => m.ValidatingStorage);
        if (until(Machine) == Machine.ValidatingStorage) return;
        await Publish(new SourceValidated
        {
            MigrationId = Id, Ticket = Ticket, Host = "kvm-a", DomainName = "web01", DomainUuid = Guid.NewGuid(), WasActive = kind != MigrationKind.Offline, WasRunning = kind != MigrationKind.Offline,
            MigratableXml = "<domain/>", MemoryKiB = 131072, VCpus = 1, Probes = [], LocalDisks = [], LibvirtVersion = 9_000_000, HypervisorVersion = 7_002_000,
        });
        await InState(m => m.DefiningDomain);
        await Sent<DefineDomain>();
        if (until(Machine) == Machine.DefiningDomain) return;
        await Publish(new DomainDefined { MigrationId = Id, Ticket = Ticket, Host = "kvm-b", DomainName = "web01" });
        if (kind != MigrationKind.Offline)
        {
            await InState(m => m.TransferringMemory);
            if (until(Machine) == Machine.TransferringMemory) return;
            await Publish(new MemoryTransferred { MigrationId = Id, Ticket = Ticket, Host = "kvm-a", DowntimeMs = 42, DataTransferredBytes = 1 << 26, Iterations = 3, DurationMs = 900, SourceStillActive = false });
        }
        await InState(m => m.CuttingOver);
        if (until(Machine) == Machine.CuttingOver) return;
        await Publish(new CutOverCompleted { MigrationId = Id, Ticket = Ticket, Host = "kvm-b", State = DomainRunState.Running });
        await InState(m => m.CleaningUp);
    }

    public Task Admit() =>
        Publish(new AdmitMigration { MigrationId = Id, DestinationHost = "kvm-b", SourceMigrationUri = "qemu+tcp://a/system", DestinationMigrationUri = "qemu+tcp://b/system" });

    public StepFailed Failure<TStep>(string host, AgentFailureCode code = AgentFailureCode.HypervisorError) =>
        new() { MigrationId = Id, Ticket = Ticket, Host = host, Step = typeof(TStep).Name, Code = code, Reason = $"{typeof(TStep).Name} failed on {host}" };

    /// <summary>The ticket of the step the saga waits on now, as an agent answering its command echoes it.</summary>
    public StepTicket Ticket => new()
    {
        Step = Current!.CurrentState, Attempt = Current.Attempt,
        Sequence = Current.Is(MigrationStatus.TransferringMemory) ? Current.TransferSequence : Current.StepSequence,
        NotAfter = DateTimeOffset.UtcNow.AddMinutes(1),
    };

    /// <summary>What a host's agent reports of the VM; <paramref name="marked"/>: its definition carries this migration's mark.</summary>
    public DomainFacts Facts(string host, string state, bool marked = false, bool transferInProgress = false) => new()
    {
        MigrationId = Id, Ticket = Ticket, Host = host, DomainName = "web01", Exists = state != "absent", State = DomainRunStates.FromWireName(state),
        Persistent = marked, TransferInProgress = transferInProgress, MigrationMark = marked ? Id : null,
    };

    /// <summary>Answers both commands of a rollback.</summary>
    public async Task AnswerRollback()
    {
        await InState(m => m.RollingBack);
        await Publish(new DomainUndefined { MigrationId = Id, Ticket = Ticket, Host = "kvm-b" });
        await Publish(new DomainResumed { MigrationId = Id, Ticket = Ticket, Host = "kvm-a", State = DomainRunState.Running });
    }

    private bool Correlates(object message) => message.GetType().GetProperty("MigrationId")?.GetValue(message) is Guid g && g == Id;

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
