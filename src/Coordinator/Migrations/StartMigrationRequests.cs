using Drover.Api;
using Drover.Contracts;
using Drover.Contracts.Migrations;

namespace Drover.Coordinator.Migrations;

/// <summary>The body of <c>POST /api/migrations</c> turned into the bus message.</summary>
public static class StartMigrationRequests
{
    /// <summary>The bus message asked by <paramref name="requestedBy"/> (the API key's identity), or the problem with the request.</summary>
    public static (MigrateVm? Message, RequestProblem? Problem) ToMessage(this StartMigrationRequest request, string? requestedBy)
    {
        MigrationKind kind;
        if (request.Kind is null) kind = MigrationKind.Live;
        else if (ParseKind(request.Kind) is { } parsed) kind = parsed;
        else return (null, new RequestProblem(nameof(StartMigrationRequest.Kind), $"Kind '{request.Kind}' is unknown: use live, non-live or offline"));

        var message = new MigrateVm
        {
            MigrationId = request.MigrationId ?? Guid.NewGuid(),
            Vm = request.Vm ?? "",
            SourceHost = request.SourceHost ?? "",
            DestinationHost = string.IsNullOrEmpty(request.DestinationHost) ? null : request.DestinationHost,
            Kind = kind,
            Persistent = request.Persistent,
            UndefineSource = request.UndefineSource,
            BandwidthMiBps = request.BandwidthMiBps,
            MaxDowntimeMs = request.MaxDowntimeMs,
            AutoConverge = request.AutoConverge,
            PostCopyAllowed = request.PostCopyAllowed,
            FallBackToNonLiveAllowed = request.FallBackToNonLiveAllowed,
            CopyStorage = request.CopyStorage,
            Priority = request.Priority,
            RequestedBy = requestedBy,
            MaxAttempts = request.MaxAttempts,
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
