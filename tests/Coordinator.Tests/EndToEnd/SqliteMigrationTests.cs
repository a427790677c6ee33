namespace Drover.Coordinator.Tests.EndToEnd;

[Collection(SqliteCollection.Name)]
public sealed class SqliteMigrationTests(SqliteMigrationLab lab) : MigrationScenarios<SqliteMigrationLab>(lab);

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteMigrationLab>
{
    public const string Name = "coordinator on SQLite";
}
