using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Persistence;

public static class PersistenceExtensions
{
    public static IServiceCollection AddSagaPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CoordinatorDbContextFactory>();
        services.AddSingleton<IDbContextFactory<CoordinatorDbContext>>(sp => sp.GetRequiredService<CoordinatorDbContextFactory>());
        return services;
    }

    /// <summary>Applies the schema migrations before anything reads the database (several coordinators may race: migrations are idempotent).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CoordinatorDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        if (db is SqliteCoordinatorDbContext)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }
}
