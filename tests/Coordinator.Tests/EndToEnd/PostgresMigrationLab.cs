using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>The coordinator on PostgreSQL (scripts/test.sh starts a private server), in a fresh database.</summary>
public class PostgresMigrationLab : MigrationLab
{
    public PostgresMigrationLab() : this(5182)
    {
    }

    protected PostgresMigrationLab(int port) : base(port)
    {
    }

    private readonly string _database = "drover_test_" + Guid.NewGuid().ToString("N")[..8];

    protected override Task<IReadOnlyDictionary<string, string>> DatabaseSettings() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = $"Host=127.0.0.1;Port={Postgres.Port};Username=postgres;Database={_database}",
        });
}
