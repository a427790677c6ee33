using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Hypervisors.Simulated;
using Drover.HostAgent.Steps;
using Drover.HostAgent.Transfers;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Hosting;

public static class HostAgentExtensions
{
    /// <summary>The agent: its host's hypervisor (libvirt, or simulated hosts for capacity work), the step consumers on
    /// <c>host-agent-{host}</c> for each host, and the heartbeat.</summary>
    public static IServiceCollection AddHostAgent(this IServiceCollection services)
    {
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure(o =>
            {
                // Simulated hosts keep their disks and probes in one directory they all see: it is their shared storage, for
                // the same checks (definitions, probes) a real host's Agent:SharedStorage gets.
                if (o.Hypervisor != HypervisorKind.Simulated) return;
                if (o.Simulated.StorageDirectory is not { Length: > 0 })
                    o.Simulated.StorageDirectory = Path.Combine(Path.GetTempPath(), $"drover-simulated-{Environment.ProcessId}");
                if (!o.SharedStorage.Contains(o.Simulated.StorageDirectory)) o.SharedStorage.Add(o.Simulated.StorageDirectory);
            });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LibvirtHypervisor(Options(sp), sp.GetRequiredService<ILogger<LibvirtHypervisor>>()));
        services.AddSingleton(sp => new SimulatedFleet(Options(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SimulatedFleet>>()));
        services.AddSingleton(sp =>
        {
            IReadOnlyList<IHypervisor> hypervisors = Options(sp).Hypervisor == HypervisorKind.Simulated
                ? sp.GetRequiredService<SimulatedFleet>().Hosts
                : [sp.GetRequiredService<LibvirtHypervisor>()];
            var clock = sp.GetRequiredService<TimeProvider>();
            return new AgentHosts(hypervisors.Select(h => new AgentHost(h, clock)).ToList());
        });
        services.AddSingleton<MemoryTransfer>();
        services.AddSingleton<StepRunner>();
        services.AddSingleton<KeptDefinitions>();
        services.AddSingleton<CreatedDisks>();
        services.AddSingleton<AgentLiveness>();
        services.AddHostedService<HeartbeatService>();
        services.AddSystemd();
        services.AddHostedService<SystemdWatchdog>();
        services.AddHealthChecks()
            .AddCheck<AgentLiveness>(AgentLiveness.Name, tags: [HealthEndpoints.Live])
            .AddCheck<HypervisorHealthCheck>("hypervisor", tags: [HealthEndpoints.Ready]);
        services.AddDroverBus(
            x => x.AddConsumers(StepConsumers),
            (context, cfg) =>
            {
                var agent = Options(context);
                bool quorum = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueueType == RabbitMqQueueType.Quorum;
                foreach (var host in context.GetRequiredService<AgentHosts>().All)
                {
                    cfg.ReceiveEndpoint(host.QueueName, e =>
                    {
                        if (quorum) e.SetQuorumQueue();
                        // Commands are sent to this queue, never published: no binding to the commands' exchanges, which
                        // would also hand this host a command published for every host. Faults are not published either:
                        // the saga learns of a failure from the agent's own StepFailed, and the broker rights give agents
                        // no fault exchanges.
                        e.ConfigureConsumeTopology = false;
                        e.PublishFaults = false;
                        // A command that faults (a step catches its own failures, so: unreadable) is logged and dropped: its
                        // move to an _error queue would carry the coordinator's user_id, which the broker refuses an agent,
                        // and the command would come back for ever. The saga's deadline covers the lost answer.
                        e.DiscardFaultedMessages();
                        e.DiscardSkippedMessages();
                        e.PrefetchCount = agent.ConcurrentCommands * 2;
                        e.ConcurrentMessageLimit = agent.ConcurrentCommands;
                        // Each type by name: ConfigureConsumers skips consumers another endpoint already has.
                        foreach (var consumer in StepConsumers) e.ConfigureConsumer(context, consumer);
                    });
                }
            },
            // The agent's reply queue, named after its (first) host: its broker rights cover host-agent-{host}_bus_*.
            context => $"{Names.AgentQueue(context.GetRequiredService<AgentHosts>().All[0].Name)}_bus_{Guid.NewGuid():N}");
        return services;
    }

    /// <summary>The step consumers, on every host's endpoint.</summary>
    private static readonly Type[] StepConsumers = typeof(StepRunner).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsAssignableTo(typeof(IConsumer)))
        .ToArray();

    private static AgentOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<AgentOptions>>().Value;
}
