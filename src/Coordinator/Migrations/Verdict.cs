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
