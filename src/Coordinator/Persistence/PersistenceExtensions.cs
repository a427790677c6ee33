using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Persistence;

public static class PersistenceExtensions
{
    public static IServiceCollection AddSagaPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CoordinatorDbContextFactory>();
        services.AddSingleton<CommitSignal>();
        services.AddSingleton<SagaTurns>();
        services.AddSingleton<IDbContextFactory<CoordinatorDbContext>>(sp => sp.GetRequiredService<CoordinatorDbContextFactory>());
        return services;
    }

    /// <summary>Applies the schema migrations before anything reads the database (several coordinators may race on PostgreSQL:
    /// migrations are idempotent). On SQLite, first claims the database for this coordinator alone.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (o.Provider == DatabaseProvider.Sqlite && SqliteSingleCoordinator.Claim(CoordinatorDbContextFactory.SqliteConnectionString(o)) is { } claim)
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(claim.Dispose);
        var factory = services.GetRequiredService<IDbContextFactory<CoordinatorDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        if (db is SqliteCoordinatorDbContext)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }
}
