using Drover.Contracts;

namespace Drover.Coordinator.Migrations;

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
