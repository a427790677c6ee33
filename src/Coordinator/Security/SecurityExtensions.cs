using MassTransit;

namespace Drover.Coordinator.Security;

public static class SecurityExtensions
{
    public static IServiceCollection AddCoordinatorSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        return services;
    }

    /// <summary>Every consumer and saga of the coordinator judges an agent's message by its sender first.</summary>
    public static void UseAgentOrigin(this IRabbitMqBusFactoryConfigurator cfg, IBusRegistrationContext context) =>
        cfg.UseConsumeFilter(typeof(AgentOriginFilter<>), context);

    /// <summary>The coordinator's reply queue (pre-flight answers come back to it): named so that agents' broker rights
    /// can let them answer (<c>drover-replies-*</c>) and nothing else of the coordinator's.</summary>
    public static string ReplyQueue() => $"drover-replies-{Guid.NewGuid():N}";
}
