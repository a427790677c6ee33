using Microsoft.Extensions.Hosting;
using Serilog;

namespace Drover.ServiceDefaults;

public static class LoggingExtensions
{
    private const string Template = "[{Timestamp:HH:mm:ss.fff} {Level:u3} {Service}@{Host}] {Message:lj} {MigrationId}{NewLine}{Exception}";

    /// <summary>A bootstrap logger for what happens before the host is built.</summary>
    public static void UseBootstrapLogger() =>
        Log.Logger = new LoggerConfiguration().WriteTo.Console(outputTemplate: Template).CreateBootstrapLogger();

    /// <summary>Serilog from configuration ("Serilog" section): every line names the service and its host, and a migration's lines its MigrationId.</summary>
    public static IHostApplicationBuilder AddDroverLogging(this IHostApplicationBuilder builder, string service, string? host = null)
    {
        builder.Services.AddSerilog((services, configuration) => configuration
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", service)
            .Enrich.WithProperty("Host", host ?? Environment.MachineName)
            .WriteTo.Console(outputTemplate: Template));
        return builder;
    }
}
