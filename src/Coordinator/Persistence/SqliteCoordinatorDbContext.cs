using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Persistence;

/// <summary>The coordinator's database on SQLite (the default: a file in the data directory).</summary>
public sealed class SqliteCoordinatorDbContext(DbContextOptions<SqliteCoordinatorDbContext> options) : CoordinatorDbContext(options);
