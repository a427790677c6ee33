using Drover.Api;
using Drover.Contracts.Migrations;

namespace Drover.Coordinator.Migrations;

/// <summary>The final events of a migration, built from its saga.</summary>
public static class Outcomes
{
    public static MigrationRejected Rejected(MigrationState s) =>
        new() { MigrationId = s.CorrelationId, Vm = s.Vm, Field = s.RejectedField, Reason = s.FailureReason ?? "rejected" };

    /// <summary>A compensation failed or the facts contradict each other: the saga stops, an operator decides.</summary>
    public static MigrationFailed NeedsAttention(MigrationState s) =>
        new() { MigrationId = s.CorrelationId, Vm = s.Vm, Reason = s.FailureReason ?? "failed", NeedsAttention = true };

    public static MigrationCompleted Completed(MigrationState s, TimeProvider clock) => new()
    {
        MigrationId = s.CorrelationId, Vm = s.Vm, SourceHost = s.SourceHost, DestinationHost = s.DestinationHost!,
        DowntimeMs = s.DowntimeMs ?? 0,
        DurationMs = (long)((s.CompletedAt ?? clock.GetUtcNow().UtcDateTime) - s.CreatedAt).TotalMilliseconds,
        Warning = s.Warning,
    };

    /// <summary>The outcome event of an ended migration, told again; null while it runs.</summary>
    public static object? Of(MigrationState s, TimeProvider clock) => s.CurrentState switch
    {
        nameof(MigrationStatus.Completed) => Completed(s, clock),
        nameof(MigrationStatus.Rejected) => Rejected(s),
        nameof(MigrationStatus.RolledBack) or nameof(MigrationStatus.Cancelled) => RolledBack(s),
        nameof(MigrationStatus.NeedsAttention) => NeedsAttention(s),
        _ => null,
    };

    /// <summary>The state change into <paramref name="state"/>, as published on every transition.</summary>
    public static MigrationStateChanged StateChanged(MigrationState s, string previous, string state, string? reason, DateTime at) => new()
    {
        MigrationId = s.CorrelationId,
        Vm = s.Vm,
        SourceHost = s.SourceHost,
        DestinationHost = s.DestinationHost,
        PreviousState = previous,
        State = state,
        Reason = reason,
        At = at,
    };

    public static MigrationRolledBack RolledBack(MigrationState s) => new()
    {
        MigrationId = s.CorrelationId, Vm = s.Vm, SourceHost = s.SourceHost,
        Reason = s.CancelRequested ? "Cancelled" + (s.FailureReason is { } r ? $" ({r})" : "") : s.FailureReason ?? "rolled back",
        Cancelled = s.CancelRequested,
    };
}
