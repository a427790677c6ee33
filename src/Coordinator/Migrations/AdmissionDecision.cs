namespace Drover.Coordinator.Migrations;

/// <summary>What admission decided for one queued migration.</summary>
public abstract record AdmissionDecision
{
    private AdmissionDecision()
    {
    }

    public sealed record Admit(string DestinationHost, string SourceMigrationUri, string DestinationMigrationUri, string? PlacementReason) : AdmissionDecision;

    public sealed record Refuse(string? Field, string Reason) : AdmissionDecision;

    public sealed record Wait(string Reason) : AdmissionDecision;
}
