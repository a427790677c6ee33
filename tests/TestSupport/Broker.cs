using System.Collections.Concurrent;

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

    /// <summary>The broker's management API, as the lab's administrator.</summary>
    public static HttpClient Management()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}") };
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return http;
    }

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

    private static string Ca(params string[] args) => Shell.Run(Repository.Script("ca.sh"), args).GetAwaiter().GetResult().Trim();

    /// <summary>The password of <paramref name="user"/> on the broker that <paramref name="environment"/> names (scripts/broker.sh
    /// makes the user with its rights the first time).</summary>
    public static string PasswordOf(string user, IReadOnlyDictionary<string, string>? environment = null)
    {
        string key = $"{(environment is null ? "" : string.Join(';', environment.Select(kv => $"{kv.Key}={kv.Value}")))}|{user}";
        return Passwords.GetOrAdd(key, _ => new Lazy<string>(() => MakeUser(user, environment))).Value;
    }

    private static readonly ConcurrentDictionary<string, Lazy<string>> Passwords = new();

    private static string MakeUser(string user, IReadOnlyDictionary<string, string>? environment) =>
        Shell.Run(environment ?? new Dictionary<string, string>(), Repository.Script("broker.sh"), "user", user).GetAwaiter().GetResult().Trim();
}
