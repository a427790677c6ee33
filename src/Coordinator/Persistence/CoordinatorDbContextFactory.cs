using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

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

    /// <summary>The operator's connection string, with three defaults of Drover's where it does not say otherwise. Automatic
    /// preparation: the saga runs the same few statements for every message, and PostgreSQL parsing and planning each again
    /// was half its CPU (bench/control-plane.sh: 30 → 17 ms per migration). No reset on close: a pooled connection is taken
    /// for every statement outside a transaction, and the reset Npgsql sends each time is several statements more; the
    /// coordinator never changes a session's state (its locks are transaction-scoped). Multiplexing: the statements of the
    /// saga's concurrent turns share connections and leave in fewer writes, each turn no longer waits for a connection of
    /// its own (coordinator −11 %, PostgreSQL −27 % CPU per migration, bench/control-plane.sh); it holds no session state
    /// outside a transaction either, which the coordinator never needs. Npgsql 11 drops multiplexing: an upgrade drops this
    /// default with it.</summary>
    public static string PostgresConnectionString(string connectionString)
    {
        // The keys as written ("Max Auto Prepare", "MaxAutoPrepare", any case).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "").ToLowerInvariant()).ToHashSet();
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("maxautoprepare")) b.MaxAutoPrepare = MaxAutoPrepare;
        if (!given.Contains("noresetonclose")) b.NoResetOnClose = true;
        if (!given.Contains("multiplexing")) b.Multiplexing = true;
        return b.ConnectionString;
    }

    /// <summary>More than the distinct statements a coordinator runs often (the saga's load and update, admission, sweeps, heartbeats).</summary>
    public const int MaxAutoPrepare = 64;

    private static DbContextOptions Build(DatabaseOptions o)
    {
        if (o.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(o.ConnectionString))
                throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions), ["Database:ConnectionString is required for PostgreSQL"]);
            return new DbContextOptionsBuilder<PostgresCoordinatorDbContext>().UseNpgsql(PostgresConnectionString(o.ConnectionString)).Options;
        }
        Directory.CreateDirectory(Path.GetFullPath(o.DataDirectory));
        return new DbContextOptionsBuilder<SqliteCoordinatorDbContext>()
            .UseSqlite(SqliteConnectionString(o))
            .AddInterceptors(new SqlitePragmas())
            .Options;
    }
}
