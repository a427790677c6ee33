using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>A pre-flight's question to a destination: would it take the domain (<see cref="DestinationChecks"/>)? Changes nothing.</summary>
public sealed class ValidateDestinationConsumer(StepRunner runner, IOptions<AgentOptions> options) : IConsumer<ValidateDestination>
{
    public Task Consume(ConsumeContext<ValidateDestination> context)
    {
        var m = context.Message;
        return runner.Run(context, (agent, connection) =>
        {
            long free = DestinationChecks.Require(connection, options.Value, agent.Name, DomainNames.Require(m.DomainName), m.DomainUuid, DomainXml.Parse(m.MigratableXml), m.Requirements);
            return new DestinationValidated { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = agent.Name, FreeMemoryKiB = free };
        });
    }
}
