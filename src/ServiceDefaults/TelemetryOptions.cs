namespace Drover.ServiceDefaults;

public enum TraceExporter
{
    None,
    Console,
    Otlp,
}

/// <summary>Where traces go. MassTransit's activity source carries one migration's trace across coordinator and agents.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public TraceExporter Exporter { get; set; } = TraceExporter.None;

    /// <summary>The OTLP collector, for <see cref="TraceExporter.Otlp"/> (default http://localhost:4317).</summary>
    public Uri? OtlpEndpoint { get; set; }

    public static readonly Uri DefaultOtlpEndpoint = new("http://localhost:4317");
}
