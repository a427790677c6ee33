using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Migrations;
using Drover.Coordinator.Migrations;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Asks for migrations the way an outside service does (publishing <see cref="MigrateVm"/>) and waits for their outcome.</summary>
public sealed class MigrationDriver(MigrationLab lab)
{
    public static MigrateVm Request(string vm, LabHost from, LabHost? to, MigrationKind kind = MigrationKind.Live) =>
        new() { MigrationId = Guid.NewGuid(), Vm = vm, SourceHost = from.Name, DestinationHost = to?.Name, Kind = kind };

    public async Task<object> Run(MigrateVm request, TimeSpan? timeout = null)
    {
        await lab.Bus.Bus.Publish(request);
        return await Outcome(request.MigrationId, timeout);
    }

    /// <summary>Publishes the request and returns once its memory transfer is under way (the first progress report).</summary>
    public async Task StartTransfer(MigrateVm request)
    {
        await lab.Bus.Bus.Publish(request);
        await lab.Bus.Events.WaitFor<Contracts.Agent.MemoryTransferProgressed>(p => p.MigrationId == request.MigrationId, TimeSpan.FromSeconds(60));
    }

    public Task<object> Outcome(Guid id, TimeSpan? timeout = null) =>
        Eventually.Get(() => lab.Bus.Events.All<object>().FirstOrDefault(e => e switch
        {
            MigrationCompleted c => c.MigrationId == id,
            MigrationRejected r => r.MigrationId == id,
            MigrationRolledBack b => b.MigrationId == id,
            MigrationFailed f => f.MigrationId == id,
            _ => false,
        }), timeout ?? TimeSpan.FromSeconds(120), $"the outcome of migration {id}");

    /// <summary>The migration as the API shows it once it has ended (read from the coordinator, not the bus: a test that restarts
    /// the broker may miss events).</summary>
    public Task<MigrationView> Final(Guid id, TimeSpan? timeout = null) =>
        Eventually.Get(async () => await View(id) is { IsFinal: true } v ? v : null, timeout ?? TimeSpan.FromSeconds(180), $"migration {id} to end");

    public async Task<MigrationView?> View(Guid id)
    {
        try { return await lab.Coordinator.Get<MigrationView>($"/api/migrations/{id}"); }
        catch (HttpRequestException) { return null; }   // not there yet, or the coordinator restarting
    }

    public async Task<T> Expect<T>(MigrateVm request, TimeSpan? timeout = null) where T : class
    {
        var outcome = await Run(request, timeout);
        return outcome as T ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name}, got {Describe(outcome)}");
    }

    /// <summary>The states the migration went through, from its MigrationStateChanged events.</summary>
    public IReadOnlyList<string> States(Guid id) =>
        lab.Bus.Events.All<MigrationStateChanged>(e => e.MigrationId == id).OrderBy(e => e.At).Select(e => e.State).ToList();

    public Task WaitForState(Guid id, string state) =>
        lab.Bus.Events.WaitFor<MigrationStateChanged>(e => e.MigrationId == id && e.State == state, TimeSpan.FromSeconds(90));

    public static readonly string[] FinalStates = MigrationStatuses.Final;

    public static string Describe(object o) => o switch
    {
        MigrationRejected r => $"MigrationRejected: {r.Reason}",
        MigrationRolledBack b => $"MigrationRolledBack: {b.Reason}",
        MigrationFailed f => $"MigrationFailed: {f.Reason}",
        _ => o.GetType().Name,
    };
}
