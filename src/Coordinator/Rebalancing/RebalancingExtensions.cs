using Drover.Coordinator.Persistence;
using MassTransit;

namespace Drover.Coordinator.Rebalancing;

public static class RebalancingExtensions
{
    public static IServiceCollection AddRebalancing(this IServiceCollection services)
    {
        services.AddOptions<RebalanceOptions>().BindConfiguration(RebalanceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddStateObserver<RebalanceState, RebalanceStateObserver>();
        services.AddHostedService<FleetSpreadRecorder>();
        return services;
    }

    public static void AddRebalancing(this IBusRegistrationConfigurator x)
    {
        x.AddSagaStateMachine<RebalanceStateMachine, RebalanceState>(typeof(RebalanceSagaDefinition)).Repository(r => r.UseCoordinatorDatabase());
        x.AddConsumer<PlanRebalanceConsumer>();
    }
}
