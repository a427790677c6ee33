using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.HostAgent.Transfers;
using MassTransit;
using Polly;
using Polly.Retry;

namespace Drover.HostAgent.Steps;

/// <summary>
/// Reports what libvirt on this host knows of a domain: its state, whether a migration job runs, and the migration mark
/// its persistent definition carries. Asked to, it first aborts this migration's transfer and waits for the job to end,
/// so that the facts it reports are settled.
/// </summary>
public sealed class QueryDomainConsumer(StepRunner runner, TimeProvider clock) : IConsumer<QueryDomain>
{
    /// <summary>Reads again until an aborted job has ended, for up to 20 s; after that the facts are reported anyway (as
    /// still in progress), and the coordinator asks again.</summary>
    private readonly ResiliencePipeline<bool> _untilJobEnded = new ResiliencePipelineBuilder<bool> { TimeProvider = clock }
        .AddRetry(new RetryStrategyOptions<bool>
        {
            ShouldHandle = new PredicateBuilder<bool>().HandleResult(false),
            BackoffType = DelayBackoffType.Constant,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxRetryAttempts = 200,
        })
        .Build();

    public Task Consume(ConsumeContext<QueryDomain> context)
    {
        var m = context.Message;
        return runner.Run(context, async (host, connection) =>
        {
            string name = DomainNames.Require(m.DomainName);
            if (m.AbortRunningTransfer) await AbortAndWait(host, connection, m, name);
            using var domain = connection.FindDomain(name);
            bool running = host.Transfers.IsRunning(m.MigrationId) || domain?.FindJobStats() is { IsActive: true };
            return (object)Facts(m.MigrationId, m.Ticket, host.Name, m.DomainName, domain, running);
        });
    }

    private async Task AbortAndWait(Hosting.AgentHost host, IHypervisorConnection connection, QueryDomain m, string name)
    {
        using (var domain = connection.FindDomain(name))
        {
            if (domain?.FindJobStats() is not { IsActive: true }) return;
            host.Transfers.MarkAbortRequested(m.MigrationId);
            try { domain.AbortJob(); }
            catch (LibvirtException) { }   // the job ended meanwhile
        }
        await _untilJobEnded.ExecuteAsync(_ =>
        {
            using var domain = connection.FindDomain(name);
            return ValueTask.FromResult(!host.Transfers.IsRunning(m.MigrationId) && domain?.FindJobStats() is not { IsActive: true });
        });
    }

    internal static DomainFacts Facts(Guid migrationId, StepTicket ticket, string host, string name, IHypervisorDomain? domain, bool transferInProgress) => new()
    {
        MigrationId = migrationId,
        Ticket = ticket,
        Host = host,
        DomainName = name,
        Exists = domain is not null,
        State = domain?.State,
        Persistent = domain?.IsPersistent ?? false,
        TransferInProgress = transferInProgress,
        MigrationMark = domain is { IsPersistent: true } ? DomainXml.Parse(domain.GetDefinitionXml()).MigrationMark : null,
    };
}
