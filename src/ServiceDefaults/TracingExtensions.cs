using MassTransit.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Drover.ServiceDefaults;

public static class TracingExtensions
{
    /// <summary>OpenTelemetry tracing of MassTransit's activities (sends, publishes, consumes, saga steps), exported as configured.</summary>
    public static IHostApplicationBuilder AddDroverTracing(this IHostApplicationBuilder builder, string service)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.Exporter == TraceExporter.None) return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService($"drover-{service}"))
            .WithTracing(t =>
            {
                t.AddSource(DiagnosticHeaders.DefaultListenerName, DroverActivity.SourceName);
                if (options.Exporter == TraceExporter.Console) t.AddConsoleExporter();
                else t.AddOtlpExporter(o => o.Endpoint = options.OtlpEndpoint ?? TelemetryOptions.DefaultOtlpEndpoint);
            });
        return builder;
    }
}
