namespace Drover.Api;

/// <summary>The body of <c>PATCH /api/migrations/{id}</c> (a running transfer's bandwidth or maximum downtime) and, optional,
/// of <c>POST /api/migrations/{id}/force-complete</c> (who asks).</summary>
public sealed record TransferAdjustmentRequest
{
    public long? BandwidthMiBps { get; init; }

    public long? MaxDowntimeMs { get; init; }

    public string? RequestedBy { get; init; }
}
