using Drover.Coordinator.Persistence;
using MassTransit;

namespace Drover.Coordinator.Migrations;

public static class MigrationSagaExtensions
{
    public static IServiceCollection AddMigrationSaga(this IServiceCollection services)
    {
        services.AddOptions<SagaOptions>().BindConfiguration(SagaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddMigrationStateObserver();
        services.AddSingleton<Preflight>();
        services.AddHostedService<AdmissionController>();
        services.AddHostedService<DeadlineSweeper>();
        services.AddHostedService<Observation.StateChangeQueue>();
        return services;
    }

    /// <summary>What every transition does beside the state machine: the timeline, the state-change event, the metrics, the
    /// admission's wake-up.</summary>
    public static IServiceCollection AddMigrationStateObserver(this IServiceCollection services) =>
        services.AddMetrics().AddSingleton<Observation.DroverMetrics>().AddSingleton<AdmissionSignal>().AddStateObserver<MigrationState, MigrationStateObserver>();

    public static void AddMigrationSaga(this IBusRegistrationConfigurator x)
    {
        x.AddSagaStateMachine<MigrationStateMachine, MigrationState>(typeof(MigrationSagaDefinition))
            .Repository(r => r.UseCoordinatorDatabase());
    }
}
