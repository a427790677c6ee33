using System.Collections.Concurrent;
using System.Diagnostics;

namespace Drover.TestSupport;

/// <summary>The private RabbitMQ that <c>scripts/test.sh</c> started (scripts/broker.sh), and its users: each Drover process
/// connects as itself (<c>drover-coordinator</c>, <c>agent-HOST</c>), with the rights scripts/broker.sh gives that name.</summary>
public static class Broker
{
    public static int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("DROVER_AMQP_PORT") ?? "5672");

    public static int ManagementPort { get; } = int.Parse(Environment.GetEnvironmentVariable("DROVER_MGMT_PORT") ?? "15672");

    /// <summary>The lab's administrator: the management API only, never a Drover process.</summary>
    public static string User { get; } = Environment.GetEnvironmentVariable("DROVER_BROKER_USER") ?? "drover";

    public static string Password { get; } = Environment.GetEnvironmentVariable("DROVER_BROKER_PASSWORD") ?? "drover";

    /// <summary>The coordinator's user (the tests' own bus uses it too: it sends commands and reads every event).</summary>
    public const string CoordinatorUser = "drover-coordinator";

    /// <summary>Settings for a Drover process connecting as <paramref name="user"/>, as environment variables (the same
    /// names its configuration reads).</summary>
    public static IReadOnlyDictionary<string, string> Settings(string user) => new Dictionary<string, string>
    {
        ["RabbitMq__Host"] = "127.0.0.1",
        ["RabbitMq__Port"] = Port.ToString(),
        ["RabbitMq__Username"] = user,
        ["RabbitMq__Password"] = PasswordOf(user),
        ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        ["Telemetry__Exporter"] = "Console",   // traces in each process's log: tests follow a migration across them
    };

    /// <summary>The test broker's AMQPS listener (scripts/test.sh sets DROVER_BROKER_TLS_PORT).</summary>
    public static int TlsPort { get; } = int.Parse(Environment.GetEnvironmentVariable("DROVER_BROKER_TLS_PORT") ?? "5671");

    /// <summary><see cref="Settings"/> over AMQPS: the TLS port, the lab CA (scripts/ca.sh) to check the broker by, and a
    /// certificate of that CA for <paramref name="user"/>.</summary>
    public static IReadOnlyDictionary<string, string> TlsSettings(string user)
    {
        string certificate = Ca("issue", user);
        return new Dictionary<string, string>(Settings(user))
        {
            ["RabbitMq__Port"] = TlsPort.ToString(),
            ["RabbitMq__UseTls"] = "true",
            ["RabbitMq__TlsCaCertificate"] = Ca("path"),
            ["RabbitMq__TlsClientCertificate"] = certificate + ".crt",
            ["RabbitMq__TlsClientKey"] = certificate + ".key",
            ["RabbitMq__TlsServerName"] = "localhost",
        };
    }

    private static string Ca(params string[] args) => Run(Repository.Script("ca.sh"), args, null);

    /// <summary>The password of <paramref name="user"/> on the broker that <paramref name="environment"/> names (scripts/broker.sh
    /// makes the user with its rights the first time).</summary>
    public static string PasswordOf(string user, IReadOnlyDictionary<string, string>? environment = null)
    {
        string key = $"{(environment is null ? "" : string.Join(';', environment.Select(kv => $"{kv.Key}={kv.Value}")))}|{user}";
        return Passwords.GetOrAdd(key, _ => new Lazy<string>(() => MakeUser(user, environment))).Value;
    }

    private static readonly ConcurrentDictionary<string, Lazy<string>> Passwords = new();

    private static string MakeUser(string user, IReadOnlyDictionary<string, string>? environment) =>
        Run(Repository.Script("broker.sh"), ["user", user], environment);

    /// <summary>Runs a lab script synchronously (settings are read while a process is being set up); its one line of output.</summary>
    private static string Run(string script, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd().Trim();
        string what = $"{Path.GetFileName(script)} {string.Join(' ', args)}";
        if (!p.WaitForExit(60_000)) throw new TimeoutException($"{what} did not finish");
        if (p.ExitCode != 0 || output.Length == 0) throw new InvalidOperationException($"{what} exited {p.ExitCode}: {error.Result}");
        return output;
    }
}
