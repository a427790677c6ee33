using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Persistence;

/// <summary>The coordinator's database on PostgreSQL (what several coordinators share).</summary>
public sealed class PostgresCoordinatorDbContext(DbContextOptions<PostgresCoordinatorDbContext> options) : CoordinatorDbContext(options);
