namespace Drover.ControlPlaneBench;

/// <summary>The bench's arguments and what bench/control-plane.sh hands it (broker and PostgreSQL pids, a work directory).</summary>
public sealed record BenchOptions
{
    public int Migrations { get; init; } = 5000;

    /// <summary>Migrations run first and not measured: a coordinator just started runs its code unoptimised and compiles it
    /// again once it runs hot (tiered compilation), a cost a long-running coordinator pays once.</summary>
    public int WarmUp { get; init; } = 3000;

    public int Hosts { get; init; } = 50;

    public int Vms { get; init; } = 1000;

    /// <summary>Admission limits for a fleet: migrations at once in all, and out of / into one host.</summary>
    public int MaxConcurrent { get; init; } = 200;

    public int PerHost { get; init; } = 4;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    public IReadOnlyList<Configuration> Configurations { get; init; } = Configuration.All;

    public int BrokerPid { get; init; }

    public int PostgresPid { get; init; }

    public string WorkDirectory { get; init; } = Path.GetTempPath();

    public const string Usage = "usage: control-plane [MIGRATIONS] [--warm-up W] [--hosts H] [--vms V] [--max-concurrent C] [--per-host P] [--only postgres1|postgres2|sqlite]";

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions
        {
            BrokerPid = Pid("DROVER_BROKER_PID_FILE"),
            PostgresPid = Pid("DROVER_PG_PID_FILE"),
            WorkDirectory = Environment.GetEnvironmentVariable("DROVER_BENCH_DIR") ?? Path.GetTempPath(),
        };
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(Usage);
            o = args[i] switch
            {
                "--warm-up" => o with { WarmUp = int.Parse(Next()) },
                "--hosts" => o with { Hosts = int.Parse(Next()) },
                "--vms" => o with { Vms = int.Parse(Next()) },
                "--max-concurrent" => o with { MaxConcurrent = int.Parse(Next()) },
                "--per-host" => o with { PerHost = int.Parse(Next()) },
                "--only" => o with
                {
                    Configurations = Next() switch
                    {
                        "postgres1" => [Configuration.All[0]],
                        "postgres2" => [Configuration.All[1]],
                        "sqlite" => [Configuration.All[2]],
                        _ => throw new ArgumentException(Usage),
                    },
                },
                var n when int.TryParse(n, out int count) => o with { Migrations = count },
                _ => throw new ArgumentException(Usage),
            };
        }
        return o;
    }

    /// <summary>The first line of a pid file (PostgreSQL's postmaster.pid has more).</summary>
    private static int Pid(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } file && File.Exists(file) ? int.Parse(File.ReadLines(file).First().Trim()) : 0;
}
