using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Drover.ServiceDefaults;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ with Drover's settings: usage telemetry off (nothing here reaches the
    /// internet), options validated at start, correlation by <c>MigrationId</c>, and every message sent or published
    /// stamped with the process's broker user (<c>user_id</c>, which the broker validates: a receiver knows who sent it).
    /// <paramref name="busEndpointQueue"/> names the process's own temporary queue (replies), so that brokers' rights can
    /// name it; null leaves MassTransit's name.
    /// </summary>
    public static IServiceCollection AddDroverBus(
        this IServiceCollection services,
        Action<IBusRegistrationConfigurator> registrations,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> endpoints,
        Func<IBusRegistrationContext, string>? busEndpointQueue = null)
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
                    if (o.UseTls) h.UseSsl(s => BrokerTls.Configure(s, o, first));
                });
                if (busEndpointQueue is not null) cfg.OverrideDefaultBusEndpointQueueName(busEndpointQueue(context));
                // Both are needed: MassTransit sends through one pipe and publishes through the other (measured, LAB.md).
                cfg.ConfigurePublish(p => p.UseExecute(c => StampSender(c, o.Username)));
                cfg.ConfigureSend(p => p.UseExecute(c => StampSender(c, o.Username)));
                cfg.UseConsumeFilter(typeof(MigrationLogContextFilter<>), context);
                endpoints(context, cfg);
            });
        });
        return services;
    }

    private static void StampSender(SendContext context, string user)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.BasicProperties.UserId = user;
    }

    /// <summary>The broker's validated sender of a message being consumed (its <c>user_id</c>), or null when it has none.</summary>
    public static string? Sender(this ConsumeContext context) =>
        context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.UserId : null;
}
