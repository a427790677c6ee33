namespace Drover.TestSupport;

/// <summary>The private RabbitMQ that <c>scripts/test.sh</c> started (scripts/broker.sh).</summary>
public static class Broker
{
    public static int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("DROVER_AMQP_PORT") ?? "5672");

    public static int ManagementPort { get; } = int.Parse(Environment.GetEnvironmentVariable("DROVER_MGMT_PORT") ?? "15672");

    public static string User { get; } = Environment.GetEnvironmentVariable("DROVER_BROKER_USER") ?? "drover";

    public static string Password { get; } = Environment.GetEnvironmentVariable("DROVER_BROKER_PASSWORD") ?? "drover";

    /// <summary>Settings for a Drover process, as environment variables (the same names its configuration reads).</summary>
    public static IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["RabbitMq__Host"] = "127.0.0.1",
        ["RabbitMq__Port"] = Port.ToString(),
        ["RabbitMq__Username"] = User,
        ["RabbitMq__Password"] = Password,
        ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        ["Telemetry__Exporter"] = "Console",   // traces in each process's log: tests follow a migration across them
    };
}
