namespace Drover.Api;

/// <summary>The body of <c>PATCH /api/migrations/{id}</c>: a running transfer's bandwidth or maximum downtime. Who asks is the
/// API key's identity.</summary>
public sealed record TransferAdjustmentRequest
{
    public long? BandwidthMiBps { get; init; }

    public long? MaxDowntimeMs { get; init; }
}
