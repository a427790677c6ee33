using Drover.Api;
using Drover.Contracts;

namespace Drover.Coordinator.Migrations;

/// <summary>Decides from the facts. Pure: the same facts always give the same verdict.</summary>
public static class FactsVerdict
{
    public static Verdict Decide(MigrationState s)
    {
        if (s.SourceTransferInProgress)
            return s.ReconcileAfter == nameof(MigrationStatus.TransferringMemory) ? Verdict.TransferStillRuns : Verdict.Unsettled;
        // null: the host does not know the domain
        DomainRunState? source = DomainRunStates.FromWireName(s.SourceFacts), destination = DomainRunStates.FromWireName(s.DestinationFacts);
        bool sourceActive = source?.IsActive() == true, destinationActive = destination?.IsActive() == true;
        bool ours = s.DestinationMark == s.CorrelationId;
        if (s.Kind == MigrationKind.Offline)   // only the definition moves: it is ours on the destination, or not there
            return destinationActive ? Verdict.Contradictory
                : !sourceActive && ours && destination is not null && CopiesConfirmable(s) ? Verdict.OnDestination
                : Verdict.OnSource;
        if (destinationActive && !sourceActive)
        {
            if (!ours) return Verdict.Contradictory;
            bool asItLeft = s.WasRunning ? destination!.Value.IsRunning() : destination == DomainRunState.Paused;
            // A switch that already failed to resume it there is not tried again: it stays paused, one copy, for an operator.
            return asItLeft || s.ReconcileAfter != nameof(MigrationStatus.CuttingOver) ? Verdict.OnDestination : Verdict.Contradictory;
        }
        if (sourceActive && !destinationActive) return Verdict.OnSource;
        if (sourceActive && destinationActive) return source!.Value.IsRunning() && destination!.Value.IsRunning() ? Verdict.Contradictory : Verdict.Unsettled;
        return s.WasActive ? Verdict.Contradictory : Verdict.OnSource;
    }

    /// <summary>An offline copy's images are trusted on the destination only once streamed whole (the digests came back) and
    /// not after a cut-over that failed — the one that checks them. Otherwise the migration goes back: the source, shut off,
    /// still has its definition and images.</summary>
    private static bool CopiesConfirmable(MigrationState s) =>
        s.CopiedDisks.Count == 0 || (s.CopiedDisks.All(d => d.Sha256 is not null) && s.ReconcileAfter != nameof(MigrationStatus.CuttingOver));

    /// <summary>The facts in a sentence, for the record and for an operator.</summary>
    public static string Describe(MigrationState s) =>
        $"the VM is {s.SourceFacts ?? "unknown"} on {s.SourceHost} and {s.DestinationFacts ?? "unknown"} on {s.DestinationHost}" +
        (s.DestinationFacts is not null and not Absent && s.DestinationMark != s.CorrelationId ? " (without this migration's mark)" : "");

    /// <summary>What the saga records for a host that does not know the domain.</summary>
    public const string Absent = "absent";
}
