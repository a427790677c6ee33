using Drover.Coordinator.Persistence;
using MassTransit;

namespace Drover.Coordinator.Migrations;

public static class MigrationSagaExtensions
{
    public static IServiceCollection AddMigrationSaga(this IServiceCollection services)
    {
        services.AddOptions<SagaOptions>().BindConfiguration(SagaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddStateObserver<MigrationState, MigrationStateObserver>();
        services.AddSingleton<AdmissionSignal>();
        services.AddHostedService<AdmissionController>();
        services.AddHostedService<DeadlineSweeper>();
        services.AddHostedService<Observation.StateChangeQueue>();
        return services;
    }

    public static void AddMigrationSaga(this IBusRegistrationConfigurator x)
    {
        x.AddSagaStateMachine<MigrationStateMachine, MigrationState>(typeof(MigrationSagaDefinition))
            .Repository(r => r.UseCoordinatorDatabase());
        x.AddConsumer<AdmissionTrigger>();
    }
}
