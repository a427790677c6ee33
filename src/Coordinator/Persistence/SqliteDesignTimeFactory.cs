using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Drover.Coordinator.Persistence;

/// <summary>For <c>dotnet ef migrations add NAME --context SqliteCoordinatorDbContext</c>.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCoordinatorDbContext>
{
    public SqliteCoordinatorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCoordinatorDbContext>().UseSqlite("Data Source=design.db").Options);
}
