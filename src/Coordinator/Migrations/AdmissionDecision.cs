namespace Drover.Coordinator.Migrations;

/// <summary>What admission decided for one queued migration.</summary>
public abstract record AdmissionDecision
{
    private AdmissionDecision()
    {
    }

    /// <summary>Start it; <paramref name="MemoryKiB"/> is the VM's memory as the inventory has it (0 while it does not know the
    /// VM yet), which the migration holds on the destination until it ends.</summary>
    public sealed record Admit(string DestinationHost, string SourceMigrationUri, string DestinationMigrationUri, string? PlacementReason, long MemoryKiB) : AdmissionDecision;

    public sealed record Refuse(string? Field, string Reason) : AdmissionDecision;

    public sealed record Wait(string Reason) : AdmissionDecision;
}
