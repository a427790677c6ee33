using Drover.Api;

namespace Drover.Coordinator.Migrations;

/// <summary>The saga's record of its attempts and of the events it did not act on.</summary>
public static class MigrationAttempts
{
    /// <summary>How many ignored events a saga keeps (the latest).</summary>
    public const int IgnoredKept = 30;

    /// <summary>The attempt under way ended in <paramref name="outcome"/>.</summary>
    public static void CloseAttempt(this MigrationState s, string outcome, TimeProvider clock)
    {
        if (s.AttemptStartedAt is null || s.Attempts.Any(a => a.Number == s.Attempt)) return;   // never admitted, or already closed
        s.Attempts.Add(new AttemptRecord
        {
            Number = s.Attempt, DestinationHost = s.DestinationHost, Outcome = outcome,
            Reason = outcome == nameof(MigrationStatus.Completed) ? s.Warning : s.FailureReason,
            StartedAt = s.AttemptStartedAt, EndedAt = clock.GetUtcNow().UtcDateTime,
        });
    }

    /// <summary>Rolled back by an infrastructure fault with attempts left: queue the next one after its backoff. A destination
    /// that placement chose is avoided next time; one the request named is kept.</summary>
    public static void NextAttempt(this MigrationState s, TimeProvider clock, SagaOptions options)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        s.CloseAttempt(nameof(MigrationStatus.RolledBack), clock);
        string reason = s.FailureReason ?? "rolled back";
        if (s.RequestedDestination is null && s.DestinationHost is not null && !s.FailedDestinations.Contains(s.DestinationHost))
            s.FailedDestinations.Add(s.DestinationHost);
        s.Attempt++;
        s.RetryAt = now + Backoff.Attempt(s.Attempt, options);
        s.QueueReason = $"attempt {s.Attempt} of {s.MaxAttempts} from {s.RetryAt:HH:mm:ss}Z; attempt {s.Attempt - 1} was rolled back: {reason}";
        s.DestinationHost = s.RequestedDestination;
        s.AdmittedTo = null;
        s.AdmittedAt = null;
        s.DestinationMigrationUri = s.SourceMigrationUri = null;
        s.AttemptStartedAt = null;
        s.MigratableXml = null;
        s.DestinationKeptDefinition = false;
        s.Probes = [];
        s.FailureReason = null;
        s.FailureCode = null;
        s.FailureIsTransient = false;
        s.StepDeadline = null;
        s.DataProcessedBytes = s.DataRemainingBytes = s.DataTotalBytes = s.DirtyRateBytesPerSecond = s.BandwidthBytesPerSecond = 0;
        s.Iteration = 0;
        s.PercentComplete = 0;
        s.EtaSeconds = null;
        s.DowntimeMs = s.TransferDurationMs = null;
        s.LastByteProgressAt = null;
    }

    public static void Ignore(this MigrationState s, string eventName, string? host, string? ticket, string why, TimeProvider clock)
    {
        s.IgnoredEvents.Add(new IgnoredEvent { At = clock.GetUtcNow().UtcDateTime, Event = eventName, Host = host, Ticket = ticket, Why = why });
        if (s.IgnoredEvents.Count > IgnoredKept) s.IgnoredEvents.RemoveRange(0, s.IgnoredEvents.Count - IgnoredKept);
    }
}
