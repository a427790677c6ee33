using Drover.Contracts;

namespace Drover.Coordinator.Migrations;

/// <summary>What the facts of both hosts say about where a migration's VM is, after a transfer or switch failed or went silent.</summary>
public enum Verdict
{
    /// <summary>The source still runs the migration job: wait for its outcome.</summary>
    TransferStillRuns,

    /// <summary>The VM is on the destination (with this migration's mark) and no longer on the source: carry on.</summary>
    OnDestination,

    /// <summary>The VM is on the source and not on the destination: undo the destination and roll back.</summary>
    OnSource,

    /// <summary>Both hosts hold it paused, or one is between states (libvirt is still switching): ask again shortly.</summary>
    Unsettled,

    /// <summary>The facts contradict each other (running on both, on neither, not ours): an operator decides.</summary>
    Contradictory,
}

/// <summary>Decides from the facts. Pure: the same facts always give the same verdict.</summary>
public static class FactsVerdict
{
    public static Verdict Decide(MigrationState s)
    {
        if (s.SourceTransferInProgress)
            return s.ReconcileAfter == nameof(MigrationStatus.TransferringMemory) ? Verdict.TransferStillRuns : Verdict.Unsettled;
        string source = s.SourceFacts ?? "absent", destination = s.DestinationFacts ?? "absent";
        bool sourceActive = IsActive(source), destinationActive = IsActive(destination);
        bool ours = s.DestinationMark == s.CorrelationId;
        if (s.Kind == MigrationKind.Offline)   // only the definition moves: it is ours on the destination, or not there
            return destinationActive ? Verdict.Contradictory
                : !sourceActive && ours && destination != "absent" ? Verdict.OnDestination
                : Verdict.OnSource;
        if (destinationActive && !sourceActive)
        {
            if (!ours) return Verdict.Contradictory;
            bool asItLeft = destination == (s.WasRunning ? "running" : "paused") || (s.WasRunning && destination == "blocked");
            // A switch that already failed to resume it there is not tried again: it stays paused, one copy, for an operator.
            return asItLeft || s.ReconcileAfter != nameof(MigrationStatus.CuttingOver) ? Verdict.OnDestination : Verdict.Contradictory;
        }
        if (sourceActive && !destinationActive) return Verdict.OnSource;
        if (sourceActive && destinationActive) return source == "running" && destination == "running" ? Verdict.Contradictory : Verdict.Unsettled;
        return s.WasActive ? Verdict.Contradictory : Verdict.OnSource;
    }

    /// <summary>The facts in a sentence, for the record and for an operator.</summary>
    public static string Describe(MigrationState s) =>
        $"the VM is {s.SourceFacts ?? "unknown"} on {s.SourceHost} and {s.DestinationFacts ?? "unknown"} on {s.DestinationHost}" +
        (s.DestinationFacts is not null and not "absent" && s.DestinationMark != s.CorrelationId ? " (without this migration's mark)" : "");

    public static bool IsActive(string state) => state is "running" or "paused" or "blocked" or "pmsuspended";
}
