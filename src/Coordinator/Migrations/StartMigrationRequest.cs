using Drover.Contracts;
using Drover.Contracts.Migrations;

namespace Drover.Coordinator.Migrations;

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
    public string? RequestedBy { get; init; }

    /// <summary>Attempts an infrastructure fault may cost (1-10); null for the coordinator's default.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>The bus message, or the problem with the request.</summary>
    public (MigrateVm? Message, RequestProblem? Problem) ToMessage()
    {
        MigrationKind kind;
        if (Kind is null) kind = MigrationKind.Live;
        else if (ParseKind(Kind) is { } parsed) kind = parsed;
        else return (null, new RequestProblem(nameof(Kind), $"Kind '{Kind}' is unknown: use live, non-live or offline"));

        var message = new MigrateVm
        {
            MigrationId = MigrationId ?? Guid.NewGuid(),
            Vm = Vm ?? "",
            SourceHost = SourceHost ?? "",
            DestinationHost = string.IsNullOrEmpty(DestinationHost) ? null : DestinationHost,
            Kind = kind,
            Persistent = Persistent,
            UndefineSource = UndefineSource,
            BandwidthMiBps = BandwidthMiBps,
            MaxDowntimeMs = MaxDowntimeMs,
            AutoConverge = AutoConverge,
            PostCopyAllowed = PostCopyAllowed,
            FallBackToNonLiveAllowed = FallBackToNonLiveAllowed,
            CopyStorage = CopyStorage,
            Priority = Priority,
            RequestedBy = RequestedBy,
            MaxAttempts = MaxAttempts,
        };
        return MigrationRequestValidator.Validate(message) is { } problem ? (null, problem) : (message, null);
    }

    private static MigrationKind? ParseKind(string kind) => kind.Replace("-", "").Replace("_", "").ToLowerInvariant() switch
    {
        "live" => MigrationKind.Live,
        "nonlive" => MigrationKind.NonLive,
        "offline" => MigrationKind.Offline,
        _ => null,
    };
}
