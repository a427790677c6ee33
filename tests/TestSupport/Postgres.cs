namespace Drover.TestSupport;

/// <summary>The private PostgreSQL that <c>scripts/test.sh</c> started (scripts/pg.sh).</summary>
public static class Postgres
{
    public static int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("DROVER_PG_PORT") ?? "55432");
}
