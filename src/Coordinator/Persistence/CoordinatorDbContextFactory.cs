using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Persistence;

/// <summary>Creates the provider's context; everything else asks for a <see cref="CoordinatorDbContext"/>.</summary>
public sealed class CoordinatorDbContextFactory(IOptions<DatabaseOptions> options) : IDbContextFactory<CoordinatorDbContext>
{
    private readonly Lazy<DbContextOptions> _contextOptions = new(() => Build(options.Value));

    public DatabaseProvider Provider => options.Value.Provider;

    public CoordinatorDbContext CreateDbContext() => _contextOptions.Value switch
    {
        DbContextOptions<PostgresCoordinatorDbContext> pg => new PostgresCoordinatorDbContext(pg),
        var o => new SqliteCoordinatorDbContext((DbContextOptions<SqliteCoordinatorDbContext>)o),
    };

    public static string SqliteConnectionString(DatabaseOptions o) =>
        o.ConnectionString ?? $"Data Source={Path.Combine(Path.GetFullPath(o.DataDirectory), "drover.db")}";

    private static DbContextOptions Build(DatabaseOptions o)
    {
        if (o.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(o.ConnectionString))
                throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions), ["Database:ConnectionString is required for PostgreSQL"]);
            return new DbContextOptionsBuilder<PostgresCoordinatorDbContext>().UseNpgsql(o.ConnectionString).Options;
        }
        Directory.CreateDirectory(Path.GetFullPath(o.DataDirectory));
        return new DbContextOptionsBuilder<SqliteCoordinatorDbContext>()
            .UseSqlite(SqliteConnectionString(o))
            .AddInterceptors(new SqlitePragmas())
            .Options;
    }
}
