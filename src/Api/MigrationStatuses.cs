namespace Drover.Api;

/// <summary>Groups of <see cref="MigrationStatus"/> the code compares with, by name as the saga row stores them.</summary>
public static class MigrationStatuses
{
    /// <summary>States in which a migration holds host resources (admission counts them).</summary>
    public static readonly string[] Active = Names(
        MigrationStatus.ValidatingStorage, MigrationStatus.DefiningDomain, MigrationStatus.TransferringMemory, MigrationStatus.CuttingOver,
        MigrationStatus.CleaningUp, MigrationStatus.RollingBack, MigrationStatus.Reconciling);

    /// <summary>States a migration never leaves.</summary>
    public static readonly string[] Final = Names(
        MigrationStatus.Completed, MigrationStatus.Rejected, MigrationStatus.RolledBack, MigrationStatus.Cancelled, MigrationStatus.NeedsAttention);

    /// <summary>Queued or active: the VM is spoken for.</summary>
    public static readonly string[] Unfinished = [nameof(MigrationStatus.Queued), .. Active];

    public static bool IsFinal(string state) => Final.Contains(state);


    private static string[] Names(params MigrationStatus[] statuses) => statuses.Select(x => x.ToString()).ToArray();
}
