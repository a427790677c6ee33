using Drover.Contracts;

namespace Drover.Api;

/// <summary>The body of <c>POST /api/migrations</c>: <see cref="MigrateVm"/> with everything optional, so every mistake gets its own message.</summary>
public sealed record StartMigrationRequest
{
    public Guid? MigrationId { get; init; }
    public string? Vm { get; init; }
    public string? SourceHost { get; init; }
    public string? DestinationHost { get; init; }

    /// <summary>live, non-live or offline (also Live, NonLive, Offline); default live.</summary>
    public string? Kind { get; init; }
    public bool Persistent { get; init; }
    public bool UndefineSource { get; init; }
    public long? BandwidthMiBps { get; init; }
    public long? MaxDowntimeMs { get; init; }
    public bool AutoConverge { get; init; }
    public bool PostCopyAllowed { get; init; }
    public bool FallBackToNonLiveAllowed { get; init; }
    public bool CopyStorage { get; init; }
    public int Priority { get; init; }

    /// <summary>Attempts an infrastructure fault may cost (1-10); null for the coordinator's default.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>The bus message, or the problem with the request.</summary>
}
