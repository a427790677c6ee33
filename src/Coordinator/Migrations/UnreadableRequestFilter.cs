using System.Text.Json;
using System.Text.Json.Nodes;
using Drover.Contracts.Migrations;
using MassTransit;

namespace Drover.Coordinator.Migrations;

/// <summary>
/// On the saga's endpoint, before the saga: a <see cref="MigrateVm"/> whose body does not bind (a kind that is no kind, a
/// number where text belongs) would otherwise go to the error queue with no trace in the API. When its migration id can be
/// read it becomes <see cref="MigrationRequestUnreadable"/> (a Rejected migration with the field and reason); when not, it
/// is logged with the broker's message id and dropped.
/// </summary>
public sealed partial class UnreadableRequestFilter(ILogger<UnreadableRequestFilter> logger) : IFilter<ConsumeContext>
{
    private static readonly string MigrateVmUrn = MessageUrn.ForTypeString<MigrateVm>();

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        if (!context.SupportedMessageTypes.Contains(MigrateVmUrn) || Problem(context) is not { } problem)
        {
            await next.Send(context);
            return;
        }
        var body = context.TryGetMessage<JsonObject>(out var json) ? json?.Message : null;
        if (Guid.TryParse(Text(body, "migrationId"), out var id) && id != Guid.Empty)
        {
            LogUnreadable(id, problem.Reason);
            await context.Publish(new MigrationRequestUnreadable
            {
                MigrationId = id, Vm = Limit(Text(body, "vm")), SourceHost = Limit(Text(body, "sourceHost")), Field = problem.Field, Reason = problem.Reason,
            });
        }
        else
        {
            LogDropped(context.MessageId, problem.Reason);
        }
    }

    /// <summary>Why the body does not bind as a <see cref="MigrateVm"/>, or null when it does.</summary>
    private static (string? Field, string Reason)? Problem(ConsumeContext context)
    {
        try
        {
            return context.TryGetMessage<MigrateVm>(out var m) && m?.Message is not null ? null : (null, "The request has no body");
        }
        catch (JsonException e)
        {
            string? field = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            string what = e.Message.Split(" Path:")[0];
            return (field, field is null ? $"The request cannot be read: {what}" : $"field {field}: {what}");
        }
    }

    private static string? Text(JsonObject? body, string name) =>
        body?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? Limit(string? s) => s is { Length: > 64 } ? s[..64] : s;

    public void Probe(ProbeContext context) => context.CreateFilterScope("unreadable-migrate-vm");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration {MigrationId}: the request cannot be read ({Reason}); it is rejected")]
    private partial void LogUnreadable(Guid migrationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A MigrateVm without a readable migration id was dropped (message {MessageId}): {Reason}")]
    private partial void LogDropped(Guid? messageId, string reason);
}
