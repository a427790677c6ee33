using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using Drover.Api;
using Drover.Contracts;

namespace Drover.Cli;

/// <summary>The commands about one migration: ask for it, assess it first, follow it, change it, stop it, look back.</summary>
public static partial class DroverCommand
{
    private static Command Migrate()
    {
        var vm = new Argument<string>("VM") { Description = "The VM's name" };
        vm.CompletionSources.Add(FromApi(async c => (await c.Get<List<HostView>>("/api/hosts")).SelectMany(h => h.Domains.Select(d => d.Name))));
        var from = HostOption("--from", "The host it runs on (default: where the inventory sees it)");
        var to = HostOption("--to", "The destination (default: placement chooses)");
        var live = new Option<bool>("--live") { Description = "Live: the VM keeps running while its memory is copied (the default)" };
        var nonLive = new Option<bool>("--non-live") { Description = "Non-live: paused for the copy, resumed on the destination" };
        var offline = new Option<bool>("--offline") { Description = "Offline: a shut-off VM's definition only" };
        var persistent = new Option<bool>("--persistent") { Description = "Define it persistently on the destination" };
        var undefineSource = new Option<bool>("--undefine-source") { Description = "Remove its definition from the source" };
        var copyStorage = new Option<bool>("--copy-storage") { Description = "Copy its disks too (disks only the source sees; offline: streamed between the hosts' storage pools)" };
        var bandwidth = WholeNumber("--bandwidth", "Bandwidth limit in MiB/s");
        var maxDowntime = WholeNumber("--max-downtime", "Longest pause allowed at the switch, in ms");
        var autoConverge = new Option<bool>("--auto-converge") { Description = "Allow slowing the guest's vCPUs so the copy converges" };
        var postCopy = new Option<bool>("--post-copy") { Description = "Allow switching to post-copy when the copy does not converge" };
        var allowNonLive = new Option<bool>("--allow-non-live") { Description = "Allow finishing non-live when the copy does not converge" };
        var maxAttempts = WholeNumber("--max-attempts", "Attempts an infrastructure fault may cost (1-10)");
        var priority = WholeNumber("--priority", "Queue priority (higher first)");
        var watch = new Option<bool>("--watch") { Description = "Follow it until it ends; exit code from its outcome" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Pre-flight only: where it could go and whether it would converge; nothing starts" };
        var command = new Command("migrate", "Move a VM to another host")
        {
            vm, from, to, live, nonLive, offline, persistent, undefineSource, copyStorage, bandwidth, maxDowntime, autoConverge, postCopy, allowNonLive,
            maxAttempts, priority, watch, dryRun,
        };
        command.Validators.Add(r =>
        {
            if (new[] { live, nonLive, offline }.Count(o => r.GetValue(o)) > 1) r.AddError("choose one of --live, --non-live, --offline");
            if (r.GetValue(dryRun) && r.GetValue(watch)) r.AddError("--dry-run starts nothing to --watch");
        });
        command.SetAction(Run(async (x, ct) =>
        {
            var p = x.Parse;
            var request = new StartMigrationRequest
            {
                Vm = p.GetValue(vm),
                SourceHost = p.GetValue(from),
                DestinationHost = p.GetValue(to),
                Kind = p.GetValue(offline) ? "offline" : p.GetValue(nonLive) ? "non-live" : "live",
                Persistent = p.GetValue(persistent),
                UndefineSource = p.GetValue(undefineSource),
                CopyStorage = p.GetValue(copyStorage),
                BandwidthMiBps = p.GetValue(bandwidth),
                MaxDowntimeMs = p.GetValue(maxDowntime),
                AutoConverge = p.GetValue(autoConverge),
                PostCopyAllowed = p.GetValue(postCopy),
                FallBackToNonLiveAllowed = p.GetValue(allowNonLive),
                MaxAttempts = (int?)p.GetValue(maxAttempts),
                Priority = (int)(p.GetValue(priority) ?? 0),
            };
            if (p.GetValue(dryRun)) return await Preflight(x, request, ct);
            var accepted = await x.Client.Post<MigrationAccepted>("/api/migrations", request, ct);
            if (p.GetValue(watch)) return await Follow.Migration(x, accepted.Id, ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(accepted);
            else x.Terminal.Line($"migration {accepted.Id} accepted: {request.Vm} {accepted.SourceHost} -> {request.DestinationHost ?? "(placement)"} ({request.Kind}); follow it with: drover watch {Views.Short(accepted.Id)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Where()
    {
        var vm = new Argument<string>("VM") { Description = "The VM's name" };
        vm.CompletionSources.Add(FromApi(async c => (await c.Get<List<HostView>>("/api/hosts")).SelectMany(h => h.Domains.Select(d => d.Name))));
        var kind = new Option<string>("--kind") { Description = "The kind of migration to assess", DefaultValueFactory = _ => "live" };
        kind.AcceptOnlyFromAmong("live", "non-live", "offline");
        var bandwidth = WholeNumber("--bandwidth", "Bandwidth limit in MiB/s (default: the coordinator's assumption)");
        var maxDowntime = WholeNumber("--max-downtime", "Longest pause allowed at the switch, in ms");
        var command = new Command("where", "Can this VM move, where to, and would it converge? (nothing starts)") { vm, kind, bandwidth, maxDowntime };
        command.SetAction(Run((x, ct) => Preflight(x, new StartMigrationRequest
        {
            Vm = x.Parse.GetValue(vm), Kind = x.Parse.GetValue(kind), BandwidthMiBps = x.Parse.GetValue(bandwidth), MaxDowntimeMs = x.Parse.GetValue(maxDowntime),
        }, ct)));
        return command;
    }

    private static async Task<int> Preflight(Context x, StartMigrationRequest request, CancellationToken ct)
    {
        var answer = await x.Client.Post<PreflightView>("/api/migrations/preflight", request, ct);
        if (x.Terminal.Json) x.Terminal.WriteJson(answer);
        else Views.Preflight(x.Terminal, answer);
        return Views.ExitCode(answer);
    }

    private static Command Status()
    {
        var reference = MigrationArgument(ArgumentArity.ZeroOrOne);
        var state = new Option<string?>("--state") { Description = "Only migrations in this state (or 'active')" };
        var host = HostOption("--host", "Only migrations from or to this host");
        var vm = new Option<string?>("--vm") { Description = "Only this VM's migrations" };
        var limit = WholeNumber("--limit", "How many (default 100)");
        var command = new Command("status", "One migration in full, or the recent ones") { reference, state, host, vm, limit };
        command.SetAction(Run(async (x, ct) =>
        {
            if (x.Parse.GetValue(reference) is { } r)
            {
                var m = await x.Client.Get<MigrationView>($"/api/migrations/{await References.Migration(x.Client, r, ct)}", ct);
                if (x.Terminal.Json) x.Terminal.WriteJson(m);
                else x.Terminal.Line(Views.Describe(m));
                return ExitCodes.ForState(m.State);
            }
            var query = Query(("state", x.Parse.GetValue(state)), ("host", x.Parse.GetValue(host)), ("vm", x.Parse.GetValue(vm)), ("limit", x.Parse.GetValue(limit)?.ToString()));
            var list = await x.Client.Get<List<MigrationView>>("/api/migrations" + query, ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(list);
            else if (list.Count == 0) x.Terminal.Line("no migrations");
            else x.Terminal.Write(Views.Migrations(x.Terminal, list));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Watch()
    {
        var reference = MigrationArgument(ArgumentArity.ExactlyOne);
        var command = new Command("watch", "Follow a migration: progress, then how it ended") { reference };
        command.SetAction(Run(async (x, ct) => await Follow.Migration(x, await References.Migration(x.Client, x.Parse.GetValue(reference)!, ct), ct)));
        return command;
    }

    private static Command History()
    {
        var vm = new Argument<string>("VM") { Description = "The VM's name" };
        vm.CompletionSources.Add(FromApi(async c => (await c.Get<List<MigrationView>>("/api/migrations?limit=200")).Select(m => m.Vm).Distinct()));
        var command = new Command("history", "Every migration of a VM, newest first") { vm };
        command.SetAction(Run(async (x, ct) =>
        {
            string name = x.Parse.GetValue(vm)!;
            var list = await x.Client.Get<List<MigrationView>>($"/api/migrations?vm={Uri.EscapeDataString(name)}&limit=1000", ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(list);
            else if (list.Count == 0) x.Terminal.Line($"{name} was never migrated");
            else x.Terminal.Write(Views.Migrations(x.Terminal, list));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Cancel()
    {
        var reference = MigrationArgument(ArgumentArity.ExactlyOne);
        var command = new Command("cancel", "Stop a migration before its switch; the VM stays on its source") { reference };
        command.SetAction(Run(async (x, ct) =>
        {
            var id = await References.Migration(x.Client, x.Parse.GetValue(reference)!, ct);
            var answer = await x.Client.Post<MigrationAccepted>($"/api/migrations/{id}/cancel", null, ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(answer);
            else x.Terminal.Line($"cancellation of {id} requested (it was {answer.State}); follow it with: drover watch {Views.Short(id)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ForceComplete()
    {
        var reference = MigrationArgument(ArgumentArity.ExactlyOne);
        var command = new Command("force-complete", "Push a running live migration over the line: post-copy when it was allowed, else pause the VM so the copy finishes") { reference };
        command.SetAction(Run(async (x, ct) =>
        {
            var id = await References.Migration(x.Client, x.Parse.GetValue(reference)!, ct);
            var answer = await x.Client.Post<MigrationAccepted>($"/api/migrations/{id}/force-complete", new { }, ct);
            return Said(x, answer, $"force-complete of {id} sent to {answer.SourceHost}; it shows in the escalations: drover status {Views.Short(id)}");
        }));
        return command;
    }

    private static Command Tune()
    {
        var reference = MigrationArgument(ArgumentArity.ExactlyOne);
        var bandwidth = WholeNumber("--bandwidth", "New bandwidth limit in MiB/s");
        var maxDowntime = WholeNumber("--max-downtime", "New maximum downtime in ms (live)");
        var command = new Command("tune", "Change a running transfer's bandwidth or maximum downtime") { reference, bandwidth, maxDowntime };
        command.Validators.Add(r =>
        {
            if (r.GetValue(bandwidth) is null && r.GetValue(maxDowntime) is null) r.AddError("tune needs --bandwidth, --max-downtime or both");
        });
        command.SetAction(Run(async (x, ct) =>
        {
            var id = await References.Migration(x.Client, x.Parse.GetValue(reference)!, ct);
            var body = new TransferAdjustmentRequest { BandwidthMiBps = x.Parse.GetValue(bandwidth), MaxDowntimeMs = x.Parse.GetValue(maxDowntime) };
            var answer = await x.Client.Send<MigrationAccepted>(HttpMethod.Patch, $"/api/migrations/{id}", body, ct);
            return Said(x, answer, $"new tuning of {id} sent to {answer.SourceHost}; it shows in the escalations: drover status {Views.Short(id)}");
        }));
        return command;
    }

    private static int Said(Context x, MigrationAccepted answer, string text)
    {
        if (x.Terminal.Json) x.Terminal.WriteJson(answer);
        else x.Terminal.Line(text);
        return ExitCodes.Ok;
    }
}
