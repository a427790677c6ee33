using Drover.Coordinator.Persistence;
using Npgsql;

namespace Drover.Coordinator.Tests.Persistence;

/// <summary>Drover's defaults for the PostgreSQL connection apply only where the operator's string says nothing.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void An_operators_string_gets_prepared_statements_no_reset_on_close_and_multiplexing()
    {
        var b = new NpgsqlConnectionStringBuilder(CoordinatorDbContextFactory.PostgresConnectionString("Host=db1;Database=drover;Username=drover;Password=x"));
        Assert.Equal((CoordinatorDbContextFactory.MaxAutoPrepare, true, true), (b.MaxAutoPrepare, b.NoResetOnClose, b.Multiplexing));
        Assert.Equal(("db1", "drover", "x"), (b.Host, b.Database, b.Password));
    }

    [Theory]
    [InlineData("Host=db1;Max Auto Prepare=0;No Reset On Close=false;Multiplexing=false", 0, false, false)]
    [InlineData("Host=db1;max auto prepare=5", 5, true, true)]
    [InlineData("Host=db1;NoResetOnClose=false", CoordinatorDbContextFactory.MaxAutoPrepare, false, true)]
    [InlineData("Host=db1;multiplexing=False", CoordinatorDbContextFactory.MaxAutoPrepare, true, false)]
    public void What_the_operator_set_stays(string connectionString, int prepare, bool noReset, bool multiplexing)
    {
        var b = new NpgsqlConnectionStringBuilder(CoordinatorDbContextFactory.PostgresConnectionString(connectionString));
        Assert.Equal((prepare, noReset, multiplexing), (b.MaxAutoPrepare, b.NoResetOnClose, b.Multiplexing));
    }
}
