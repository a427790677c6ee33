namespace Drover.Coordinator.Tests.EndToEnd;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresMigrationLab lab) : MigrationScenarios<PostgresMigrationLab>(lab);

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresMigrationLab>
{
    public const string Name = "coordinator on PostgreSQL";
}

/// <summary>The database several coordinators share goes away for a moment: the migration carries on when it is back.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFaultTests(PostgresMigrationLab lab) : IAsyncLifetime
{
    private readonly MigrationDriver _driver = new(lab);
    private readonly string _vm = "pgfault-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        TestSupport.Lab.Remove(_vm, lab.Hosts);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PostgreSQL_restarted_during_the_memory_transfer_does_not_stop_the_migration()
    {
        await TestSupport.Lab.CreateGuest(lab.A, _vm);
        var request = MigrationDriver.Request(_vm, lab.A, lab.B) with { BandwidthMiBps = 8, MaxDowntimeMs = 1000 };
        await _driver.StartTransfer(request);

        await TestSupport.Faults.RestartPostgres();

        var done = await _driver.Final(request.MigrationId);
        Assert.True(done.State == "Completed", $"{done.State}: {done.Reason}");
        TestSupport.Invariants.RunsOnlyOn(lab.B, _vm, lab.Hosts);
        await TestSupport.SerialCounter.AssertContinues(lab.A, lab.B, _vm);
    }
}
