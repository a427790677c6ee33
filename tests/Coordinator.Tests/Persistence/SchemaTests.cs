using Drover.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Tests.Persistence;

/// <summary>The EF Core schema migrations match the model for both providers (a model change without a migration fails here).</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class SchemaTests
{
    [Fact]
    public void The_sqlite_migrations_cover_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void The_postgres_migrations_cover_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.NotEmpty(db.Database.GetMigrations());
    }
}
