using MassTransit;

namespace Drover.Coordinator.Hosts;

public static class HostInventoryExtensions
{
    public static IServiceCollection AddHostInventory(this IServiceCollection services) => services.AddSingleton<HostInventory>();

    public static void AddHostInventory(this IBusRegistrationConfigurator x) =>
        x.AddConsumer<HostHeartbeatConsumer>(c => c.UseMessageRetry(r => r.Interval(5, TimeSpan.FromMilliseconds(100))));
}
