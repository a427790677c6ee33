namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>The SQLite coordinator with deadlines short enough for fault tests to see them pass.</summary>
public sealed class FaultLab() : SqliteMigrationLab(5183)
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(8);

    protected override IReadOnlyDictionary<string, string> CoordinatorSettings => new Dictionary<string, string>
    {
        ["Migrations__StepTimeout"] = StepTimeout.ToString(),
        ["Migrations__TransferSilenceTimeout"] = "00:00:10",
        ["Migrations__TransferStallTimeout"] = "00:00:20",
        ["Migrations__CompensationPatience"] = "00:03:00",
        ["Migrations__ResendBackoffMax"] = "00:00:03",
        ["Migrations__RetryBackoff"] = "00:00:01",
    };
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultLab>
{
    public const string Name = "coordinator under faults";
}
