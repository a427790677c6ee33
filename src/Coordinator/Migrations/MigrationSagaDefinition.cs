using System.Data.Common;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Migrations;

/// <summary>The saga's endpoint: retry on optimistic-concurrency conflicts, and publish only after the row is saved.</summary>
public sealed class MigrationSagaDefinition : SagaDefinition<MigrationState>
{
    public MigrationSagaDefinition()
    {
        EndpointName = "migration-saga";
        ConcurrentMessageLimit = 16;
        Endpoint(e =>
        {
            e.PrefetchCount = 32;
            e.ConcurrentMessageLimit = 16;
        });
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<MigrationState> saga, IRegistrationContext context)
    {
        // A MigrateVm that cannot be read becomes a Rejected migration instead of a message in the error queue.
        // (Before the pipe that dispatches by message type: that is where the body is read, and fails.)
        endpoint.AddPrePipeSpecification(new FilterPipeSpecification<ConsumeContext>(
            new UnreadableRequestFilter(context.GetRequiredService<ILogger<UnreadableRequestFilter>>())));
        // The database away (restarting, failing over): keep the message and try again for a while, rather than lose it
        // to the error queue.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<DbException>();
            r.Handle<TimeoutException>();
            r.Handle<DbUpdateException>(e => e.InnerException is DbException or TimeoutException);
            r.Handle<InvalidOperationException>(e => e.InnerException is DbException or TimeoutException);
            r.Exponential(60, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        });
        // A lost race (version changed underneath) or a duplicate insert: run the message again from a fresh read.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<DbUpdateConcurrencyException>();
            r.Handle<DbUpdateException>();
            r.Exponential(20, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(20));
        });
        // What a turn sends (its step's commands, the state change, an outcome) leaves once the row is saved, all at once
        // rather than one by one with each broker confirm awaited before the next: the turn ends sooner (step p50 110 → 75 ms)
        // and, with SagaRows.Last, the coordinator spends about 7 % less CPU per migration (bench/control-plane.sh). Their order within a turn was
        // never a promise: they go to different exchanges and queues, to consumers that take messages concurrently.
        endpoint.UseInMemoryOutbox(context, o => o.ConcurrentMessageDelivery = true);
    }
}
