using Drover.Contracts.Agent;
using Drover.HostAgent.Transfers;
using Drover.ServiceDefaults;
using Drover.HostAgent.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>Runs the memory transfer; a redelivered command joins the transfer already running for its step, or re-reports its outcome.</summary>
public sealed class TransferMemoryConsumer(StepRunner runner, MemoryTransfer transfer, IOptions<AgentOptions> options) : IConsumer<TransferMemory>
{
    public Task Consume(ConsumeContext<TransferMemory> context)
    {
        var m = context.Message;
        return runner.Run(context, (host, _) =>
        {
            if (Peers.Refusal(options.Value, m.DestinationHost, m.DestinationMigrationUri) is { } refusal)
                throw new StepRefusedException(AgentFailureCode.NotPermitted, refusal);
            return host.Transfers.RunOnce(m.MigrationId, m.Ticket.Sequence, async () =>
                await transfer.Run(host, m, e => context.PublishWithin(e, ReportPublishTimeout), CancellationToken.None));
        });
    }

    /// <summary>Progress is news: one that cannot be published in a few seconds (a broker restarting) is dropped.</summary>
    private static readonly TimeSpan ReportPublishTimeout = TimeSpan.FromSeconds(10);
}
