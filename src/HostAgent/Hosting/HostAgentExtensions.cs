using Drover.HostAgent.Steps;
using Drover.HostAgent.Transfers;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Hosting;

public static class HostAgentExtensions
{
    /// <summary>The agent: libvirt, the step consumers on <c>host-agent-{host}</c>, and the heartbeat.</summary>
    public static IServiceCollection AddHostAgent(this IServiceCollection services)
    {
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Hypervisor>();
        services.AddSingleton<TransferRegistry>();
        services.AddSingleton<MemoryTransfer>();
        services.AddSingleton<StepRunner>();
        services.AddSingleton<AgentLiveness>();
        services.AddHostedService<HeartbeatService>();
        services.AddSystemd();
        services.AddHostedService<SystemdWatchdog>();
        services.AddHealthChecks()
            .AddCheck<AgentLiveness>(AgentLiveness.Name, tags: [HealthEndpoints.Live])
            .AddCheck<HypervisorHealthCheck>("hypervisor", tags: [HealthEndpoints.Ready]);
        services.AddDroverBus(
            x => x.AddConsumers(typeof(StepRunner).Assembly),
            (context, cfg) =>
            {
                var agent = context.GetRequiredService<IOptions<AgentOptions>>().Value;
                cfg.ReceiveEndpoint(agent.QueueName, e =>
                {
                    if (context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueueType == RabbitMqQueueType.Quorum) e.SetQuorumQueue();
                    e.PrefetchCount = agent.ConcurrentCommands * 2;
                    e.ConcurrentMessageLimit = agent.ConcurrentCommands;
                    e.ConfigureConsumers(context);
                });
            });
        return services;
    }
}
