using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Drover.Coordinator.Persistence;

public static class EfSagaRepositoryExtensions
{
    /// <summary><c>.Repository(r => r.UseCoordinatorDatabase())</c>: keep the saga in the coordinator's EF Core database.</summary>
    public static ISagaRepositoryRegistrationConfigurator<TSaga> UseCoordinatorDatabase<TSaga>(this ISagaRepositoryRegistrationConfigurator<TSaga> r)
        where TSaga : class, ISaga
    {
        r.TryAddSingleton<ISagaConsumeContextFactory<DbContext, TSaga>, SagaConsumeContextFactory<DbContext, TSaga>>();
        r.RegisterLoadSagaRepository<TSaga, EfSagaRepositoryContextFactory<TSaga>>();
        r.RegisterQuerySagaRepository<TSaga, EfSagaRepositoryContextFactory<TSaga>>();
        r.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>, EfSagaRepositoryContextFactory<TSaga>>();
        return r;
    }
}
