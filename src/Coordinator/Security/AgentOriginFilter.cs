using Drover.Contracts;
using Drover.Contracts.Hosts;
using Drover.Coordinator.Observation;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Security;

/// <summary>
/// Lets through an agent's event or heartbeat (<see cref="IHostReport"/>) only when it comes from the agent of the host it
/// is about: the broker refuses a publish whose <c>user_id</c> is not the connection's user, so that property names the
/// sender. Anything else is consumed without effect and logged as a security event: another agent, a service, or a
/// person with some broker credentials cannot move a saga, mark a host up or replace its migration URI.
/// </summary>
public sealed class AgentOriginFilter<T>(IOptions<SecurityOptions> options, DroverMetrics metrics, ILogger<AgentOriginFilter<T>> log)
    : IFilter<ConsumeContext<T>> where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is not IHostReport report || options.Value.AgentOrigin == AgentOrigin.Unchecked) return next.Send(context);
        string expected = Names.AgentUser(report.Host);
        string? sender = context.Sender();
        if (sender == expected) return next.Send(context);
        metrics.SecurityEvent(typeof(T).Name);
        log.LogWarning("Security: a {MessageType} about host {Host} was sent by broker user {Sender}, not by {Expected}: ignored",
            typeof(T).Name, report.Host, sender ?? "(none)", expected);
        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("agentOrigin");
}
