using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Drover.Coordinator.Persistence;

/// <summary>For <c>dotnet ef migrations add NAME --context PostgresCoordinatorDbContext</c> (no server needed).</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCoordinatorDbContext>
{
    public PostgresCoordinatorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCoordinatorDbContext>().UseNpgsql("Host=localhost;Database=drover").Options);
}
