using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Steps;

/// <summary>An operator's change to a running transfer: handed to the watch of that transfer, which applies it to the job
/// and reports it (<see cref="MigrationEscalated"/>); nothing is done when the transfer is not running here.</summary>
public sealed partial class AdjustTransferConsumer(AgentHosts hosts, TimeProvider clock, ILogger<AdjustTransferConsumer> logger) : IConsumer<AdjustTransfer>
{
    public Task Consume(ConsumeContext<AdjustTransfer> context)
    {
        var a = context.Message;
        var host = hosts.For(context);
        if (clock.GetUtcNow() > a.NotAfter) LogStale(a.MigrationId, host.Name, a.NotAfter);
        else if (!host.Transfers.Adjust(a)) LogNotRunning(a.MigrationId, a.Attempt, host.Name);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adjustment of migration {MigrationId} on {Host} ignored: stale since {NotAfter}")]
    private partial void LogStale(Guid migrationId, string host, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adjustment of migration {MigrationId} (attempt {Attempt}) ignored: no such transfer runs on {Host}")]
    private partial void LogNotRunning(Guid migrationId, int attempt, string host);
}
