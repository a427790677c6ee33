using Drover.Api;
using Drover.TestSupport;

namespace Drover.Coordinator.Tests.EndToEnd;

/// <summary>SQLite serves one coordinator: a second one on the same database file refuses to start and says what to use.</summary>
[Collection(SqliteCollection.Name)]
public sealed class SingleCoordinatorTests(SqliteMigrationLab lab)
{
    [Fact]
    public async Task A_second_coordinator_on_the_same_sqlite_file_refuses_to_start_and_says_to_use_postgresql()
    {
        using var second = CoordinatorProcess.Launch(await lab.Settings(), 5197);

        Assert.NotEqual(0, await second.WaitForExit(TimeSpan.FromSeconds(60)));
        string log = await File.ReadAllTextAsync(second.LogPath);
        Assert.Contains("Another coordinator already uses the SQLite database", log);
        Assert.Contains("Database__Provider=Postgres", log);
        Assert.False(lab.Coordinator.HasExited);
        Assert.NotNull(await lab.Coordinator.Get<List<HostView>>("/api/hosts"));   // the first one carries on
    }
}
