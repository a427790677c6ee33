using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Persistence;

/// <summary>Creates the provider's context; everything else asks for a <see cref="CoordinatorDbContext"/>. Contexts come
/// from EF Core's pool: every saga message opens one, and building a context's services each time was a twentieth of the
/// coordinator's CPU (bench/control-plane.sh).</summary>
public sealed class CoordinatorDbContextFactory(IOptions<DatabaseOptions> options) : IDbContextFactory<CoordinatorDbContext>
{
    private readonly Lazy<Func<CoordinatorDbContext>> _create = new(() => Pool(Build(options.Value)));

    public DatabaseProvider Provider => options.Value.Provider;

    public CoordinatorDbContext CreateDbContext() => _create.Value();

    private static Func<CoordinatorDbContext> Pool(DbContextOptions contextOptions)
    {
        if (contextOptions is DbContextOptions<PostgresCoordinatorDbContext> pg)
        {
            var pool = new PooledDbContextFactory<PostgresCoordinatorDbContext>(pg);
            return pool.CreateDbContext;
        }
        var sqlite = new PooledDbContextFactory<SqliteCoordinatorDbContext>((DbContextOptions<SqliteCoordinatorDbContext>)contextOptions);
        return sqlite.CreateDbContext;
    }

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
