using Drover.Api;

namespace Drover.Coordinator.Migrations;

/// <summary>A saga instance as the API shows it.</summary>
public static class MigrationViews
{
    public static MigrationView ToView(this MigrationState s) => new()
    {
        Id = s.CorrelationId,
        Vm = s.Vm,
        SourceHost = s.SourceHost,
        DestinationHost = s.DestinationHost,
        Kind = s.Kind,
        State = s.CurrentState,
        Persistent = s.Persistent,
        UndefineSource = s.UndefineSource,
        PercentComplete = s.PercentComplete,
        DataProcessedBytes = s.DataProcessedBytes,
        DataRemainingBytes = s.DataRemainingBytes,
        DataTotalBytes = s.DataTotalBytes,
        DirtyRateBytesPerSecond = s.DirtyRateBytesPerSecond,
        BandwidthBytesPerSecond = s.BandwidthBytesPerSecond,
        Iteration = s.Iteration,
        EtaSeconds = s.EtaSeconds,
        DowntimeMs = s.DowntimeMs,
        TransferDurationMs = s.TransferDurationMs,
        TotalDurationMs = s.CompletedAt is { } done ? (long)(done - s.CreatedAt).TotalMilliseconds : null,
        StepDurationsMs = s.StepDurations,
        Reason = s.FailureReason,
        QueueReason = s.QueueReason,
        PlacementReason = s.PlacementReason,
        Warning = s.Warning,
        Escalations = s.Escalations,
        Attempt = s.Attempt,
        MaxAttempts = s.MaxAttempts,
        Attempts = s.Attempts,
        FactsVerdict = s.FactsVerdict,
        IgnoredEvents = s.IgnoredEvents,
        CreatedAt = s.CreatedAt,
        Request = new StartMigrationRequest
        {
            MigrationId = s.CorrelationId,
            Vm = s.Vm,
            SourceHost = s.SourceHost,
            DestinationHost = s.RequestedDestination,
            Kind = s.Kind.ToString(),
            Persistent = s.Persistent,
            UndefineSource = s.UndefineSource,
            BandwidthMiBps = s.BandwidthMiBps,
            MaxDowntimeMs = s.MaxDowntimeMs,
            AutoConverge = s.AutoConverge,
            PostCopyAllowed = s.PostCopyAllowed,
            FallBackToNonLiveAllowed = s.FallBackToNonLiveAllowed,
            CopyStorage = s.CopyStorage,
            Priority = s.Priority,
            MaxAttempts = s.MaxAttempts,
        },
        RequestedBy = s.RequestedBy,
        Timeline = s.Timeline,
        CompletedAt = s.CompletedAt,
    };
}
