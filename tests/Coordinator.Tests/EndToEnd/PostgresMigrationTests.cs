namespace Drover.Coordinator.Tests.EndToEnd;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresMigrationLab lab) : MigrationScenarios<PostgresMigrationLab>(lab);

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresMigrationLab>
{
    public const string Name = "coordinator on PostgreSQL";
}
