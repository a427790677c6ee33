using System.CommandLine;
using Drover.Api;

namespace Drover.Cli;

/// <summary>The API keys: who may read, operate or administer the coordinator (an administrator's key is needed).</summary>
public static partial class DroverCommand
{
    private static Command Keys()
    {
        var name = new Argument<string>("name") { Description = "Who the key is for (recorded as RequestedBy on what it asks)" };
        var role = new Option<ApiRole>("--role") { Description = "read, operate or admin", Required = true };
        var add = new Command("add", "Make a key; it is printed this once (the coordinator keeps only its hash)") { name, role };
        add.SetAction(Run(async (x, ct) =>
        {
            var created = await x.Client.Post<ApiKeyCreated>("/api/keys", new ApiKeyRequest { Name = x.Parse.GetValue(name), Role = x.Parse.GetValue(role) }, ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(created);
            else x.Terminal.Line($"{created.Key}\n(key for {created.Name}, role {created.Role.ToString().ToLowerInvariant()}: shown this once)");
            return ExitCodes.Ok;
        }));

        var revokedName = new Argument<string>("name") { Description = "Whose key to revoke" };
        var revoke = new Command("revoke", "Revoke a key: it opens nothing from now on") { revokedName };
        revoke.SetAction(Run(async (x, ct) =>
        {
            string who = x.Parse.GetValue(revokedName)!;
            await x.Client.Send(HttpMethod.Delete, $"/api/keys/{Uri.EscapeDataString(who)}", null, ct);
            x.Terminal.Line($"{who}'s key is revoked");
            return ExitCodes.Ok;
        }));

        var command = new Command("keys", "The API keys and their roles (lists them; add, revoke)") { add, revoke };
        command.SetAction(Run(async (x, ct) =>
        {
            var keys = await x.Client.Get<List<ApiKeyView>>("/api/keys", ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(keys);
            else x.Terminal.Write(Views.Keys(x.Terminal, keys));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
