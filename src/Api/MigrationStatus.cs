namespace Drover.Api;

/// <summary>The migration saga's states by name, typed: what the database, the API and admission compare with. Each is a
/// state of the migration saga of the same name.</summary>
public enum MigrationStatus
{
    Queued,
    ValidatingStorage,
    DefiningDomain,
    TransferringMemory,
    CuttingOver,
    CleaningUp,
    RollingBack,
    Reconciling,
    Completed,
    Rejected,
    RolledBack,
    Cancelled,
    NeedsAttention,
}
