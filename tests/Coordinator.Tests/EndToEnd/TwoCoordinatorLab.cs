using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>Two coordinator processes on one PostgreSQL database, three lab hosts with an agent each.</summary>
public sealed class TwoCoordinatorLab() : PostgresMigrationLab(5184)
{
    public const int SecondPort = 5185;

    protected override int HostCount => 3;

    /// <summary>The second coordinator (the first is <see cref="MigrationLab.Coordinator"/>).</summary>
    public CoordinatorProcess Second { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Second = await CoordinatorProcess.Start(await Settings(), SecondPort);
    }

    public override async Task DisposeAsync()
    {
        Second?.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TwoCoordinatorCollection : ICollectionFixture<TwoCoordinatorLab>
{
    public const string Name = "two coordinators on PostgreSQL";
}
