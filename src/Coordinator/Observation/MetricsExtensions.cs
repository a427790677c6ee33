using Drover.Coordinator.Api;
using Drover.ServiceDefaults;
using MassTransit.Monitoring;
using OpenTelemetry.Metrics;

namespace Drover.Coordinator.Observation;

public static class MetricsExtensions
{
    /// <summary>OpenTelemetry metrics: Drover's meter, MassTransit's, ASP.NET Core's and the runtime's; scraped by Prometheus
    /// at <c>/metrics</c> and exported by OTLP when <c>Telemetry:Exporter</c> is Otlp.</summary>
    public static IServiceCollection AddDroverMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FleetGauges>().AddHostedService(sp => sp.GetRequiredService<FleetGauges>());
        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(DroverMetrics.MeterName, InstrumentationOptions.MeterName, "Microsoft.AspNetCore.Hosting", "System.Runtime");
            m.AddPrometheusExporter();
            if (telemetry.Exporter == TraceExporter.Otlp) m.AddOtlpExporter(o => o.Endpoint = telemetry.OtlpEndpoint ?? TelemetryOptions.DefaultOtlpEndpoint);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapDroverMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireRead();
        return app;
    }
}
