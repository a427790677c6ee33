namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Three hosts with agents, a coordinator on SQLite, and fleet jobs running one move at a time.</summary>
public sealed class FleetLab() : MigrationLab(5183)
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "drover-fleet-" + Guid.NewGuid().ToString("N")[..8]);

    protected override int HostCount => 3;

    protected override Task<IReadOnlyDictionary<string, string>> DatabaseSettings() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["Database__DataDirectory"] = _dataDirectory,
            ["Rebalancing__Window"] = "1",
        });
}

[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<FleetLab>
{
    public const string Name = "fleet jobs on three hosts";
}
