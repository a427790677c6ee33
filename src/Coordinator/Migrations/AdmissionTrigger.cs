using Drover.Api;
using Drover.Contracts.Migrations;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>A migration was queued or finished: admission may have work.</summary>
public sealed class AdmissionTrigger(AdmissionSignal signal) : IConsumer<MigrationStateChanged>
{
    public Task Consume(ConsumeContext<MigrationStateChanged> context)
    {
        if (context.Message.State == nameof(MigrationStatus.Queued) || MigrationStatuses.IsFinal(context.Message.State))
            signal.Poke();
        return Task.CompletedTask;
    }
}
