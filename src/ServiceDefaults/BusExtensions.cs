using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Drover.ServiceDefaults;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ with Drover's settings: usage telemetry off (nothing here reaches the
    /// internet), options validated at start, and correlation by <c>MigrationId</c>.
    /// </summary>
    public static IServiceCollection AddDroverBus(
        this IServiceCollection services,
        Action<IBusRegistrationConfigurator> registrations,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> endpoints)
    {
        MessageCorrelationSetup.Apply();
        // A background loop that fails logs and goes on; it never stops the process (.NET's default would).
        services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            registrations(x);
            // Quorum: every endpoint's queue, those configured by convention and those named by hand (SetQuorumQueue there).
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueueType == RabbitMqQueueType.Quorum)
                    rabbit.SetQuorumQueue();
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                var o = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                QueueAddress.Quorum = o.QueueType == RabbitMqQueueType.Quorum;
                var (first, port) = o.Nodes[0];
                cfg.Host(first, (ushort)port, o.VirtualHost, h =>
                {
                    h.Username(o.Username);
                    h.Password(o.Password);
                    if (o.Hosts.Count > 0) h.UseCluster(c => { foreach (var (host, p) in o.Nodes) c.Node($"{host}:{p}"); });
                });
                cfg.UseConsumeFilter(typeof(MigrationLogContextFilter<>), context);
                endpoints(context, cfg);
            });
        });
        return services;
    }
}
