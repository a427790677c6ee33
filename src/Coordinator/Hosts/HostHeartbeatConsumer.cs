using Drover.Contracts.Hosts;
using MassTransit;

namespace Drover.Coordinator.Hosts;

public sealed class HostHeartbeatConsumer(HostInventory inventory) : IConsumer<HostHeartbeat>
{
    public Task Consume(ConsumeContext<HostHeartbeat> context) => inventory.Record(context.Message, context.CancellationToken);
}
