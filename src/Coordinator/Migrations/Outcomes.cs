using Drover.Contracts.Migrations;

namespace Drover.Coordinator.Migrations;

/// <summary>The final events of a migration, built from its saga.</summary>
public static class Outcomes
{
    public static MigrationRejected Rejected(MigrationState s, string? field) =>
        new() { MigrationId = s.CorrelationId, Vm = s.Vm, Field = field, Reason = s.FailureReason ?? "rejected" };

    /// <summary>A compensation failed or the facts contradict each other: the saga stops, an operator decides.</summary>
    public static MigrationFailed NeedsAttention(MigrationState s) =>
        new() { MigrationId = s.CorrelationId, Vm = s.Vm, Reason = s.FailureReason ?? "failed", NeedsAttention = true };

    public static MigrationCompleted Completed(MigrationState s, TimeProvider clock) => new()
    {
        MigrationId = s.CorrelationId, Vm = s.Vm, SourceHost = s.SourceHost, DestinationHost = s.DestinationHost!,
        DowntimeMs = s.DowntimeMs ?? 0,
        DurationMs = (long)(clock.GetUtcNow().UtcDateTime - s.CreatedAt).TotalMilliseconds,
        Warning = s.Warning,
    };

    public static MigrationRolledBack RolledBack(MigrationState s) => new()
    {
        MigrationId = s.CorrelationId, Vm = s.Vm, SourceHost = s.SourceHost,
        Reason = s.CancelRequested ? "Cancelled" + (s.FailureReason is { } r ? $" ({r})" : "") : s.FailureReason ?? "rolled back",
        Cancelled = s.CancelRequested,
    };
}
