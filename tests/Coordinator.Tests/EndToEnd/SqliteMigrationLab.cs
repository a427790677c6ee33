namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>The coordinator on its default database: a SQLite file in a fresh data directory.</summary>
public class SqliteMigrationLab : MigrationLab
{
    public SqliteMigrationLab() : this(5181)
    {
    }

    protected SqliteMigrationLab(int port) : base(port)
    {
    }

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "drover-test-" + Guid.NewGuid().ToString("N")[..8]);

    protected override Task<IReadOnlyDictionary<string, string>> DatabaseSettings() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["Database__DataDirectory"] = _dataDirectory,
        });
}
