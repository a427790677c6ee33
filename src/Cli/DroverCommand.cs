using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using Drover.Api;
using Drover.Contracts;

namespace Drover.Cli;

/// <summary>
/// The drover command line (System.CommandLine): every command, option and argument, with its help and completions. An
/// option a command does not know is an error (exit 2), never ignored. Each action talks to the coordinator's API with
/// the API's own types and returns an exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class DroverCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private static readonly Option<string?> Url = new("--url")
    {
        Description = $"The coordinator's address (default: DROVER_URL, else {DefaultUrl})", Recursive = true,
    };

    private static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "The API key for commands that change something (default: DROVER_API_KEY)", Recursive = true,
    };

    private static readonly Option<bool> Json = new("--json") { Description = "Print the API's answer as JSON", Recursive = true };

    public static RootCommand Create(TextWriter output)
    {
        var root = new RootCommand("drover — move KVM virtual machines across the fleet")
        {
            Url, ApiKey, Json,
            Migrate(), Where(), Status(), Watch(), History(), Cancel(), ForceComplete(), Tune(), Hosts(), Vms(), Rebalance(), Drain(), Jobs(), Job(), Approve(),
            Completion(),
        };
        root.Add(Help(root, output));
        RefuseOptionsAsArguments(root);
        return root;
    }

    // ---- commands ----

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
            vm, from, to, live, nonLive, offline, persistent, undefineSource, bandwidth, maxDowntime, autoConverge, postCopy, allowNonLive,
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
                BandwidthMiBps = p.GetValue(bandwidth),
                MaxDowntimeMs = p.GetValue(maxDowntime),
                AutoConverge = p.GetValue(autoConverge),
                PostCopyAllowed = p.GetValue(postCopy),
                FallBackToNonLiveAllowed = p.GetValue(allowNonLive),
                MaxAttempts = (int?)p.GetValue(maxAttempts),
                Priority = (int)(p.GetValue(priority) ?? 0),
                RequestedBy = By,
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
            var answer = await x.Client.Post<MigrationAccepted>($"/api/migrations/{id}/force-complete", new TransferAdjustmentRequest { RequestedBy = By }, ct);
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
            var body = new TransferAdjustmentRequest { BandwidthMiBps = x.Parse.GetValue(bandwidth), MaxDowntimeMs = x.Parse.GetValue(maxDowntime), RequestedBy = By };
            var answer = await x.Client.Send<MigrationAccepted>(HttpMethod.Patch, $"/api/migrations/{id}", body, ct);
            return Said(x, answer, $"new tuning of {id} sent to {answer.SourceHost}; it shows in the escalations: drover status {Views.Short(id)}");
        }));
        return command;
    }

    private static string By => $"drover-cli@{Environment.MachineName}";

    private static int Said(Context x, MigrationAccepted answer, string text)
    {
        if (x.Terminal.Json) x.Terminal.WriteJson(answer);
        else x.Terminal.Line(text);
        return ExitCodes.Ok;
    }

    private static Command Hosts()
    {
        var command = new Command("hosts", "The fleet as the agents report it: status, memory, VM counts");
        command.SetAction(Run(async (x, ct) =>
        {
            var hosts = await x.Client.Get<List<HostView>>("/api/hosts", ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(hosts);
            else x.Terminal.Write(Views.Hosts(x.Terminal, hosts));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Vms()
    {
        var host = HostOption("--host", "Only the VMs on this host");
        var command = new Command("vms", "Every VM the agents report, with its host and state") { host };
        command.SetAction(Run(async (x, ct) =>
        {
            var hosts = await x.Client.Get<List<HostView>>("/api/hosts", ct);
            if (x.Parse.GetValue(host) is { } only)
            {
                hosts = hosts.Where(h => h.Name == only).ToList();
                if (hosts.Count == 0) throw new NotFoundException($"no host named '{only}'");
            }
            if (x.Terminal.Json) x.Terminal.WriteJson(hosts.SelectMany(h => h.Domains.Select(d => new { host = h.Name, domain = d })));
            else x.Terminal.Write(Views.Vms(x.Terminal, hosts));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Rebalance()
    {
        var strategy = new Option<string>("--strategy") { Description = "What to even out", DefaultValueFactory = _ => "memory" };
        strategy.AcceptOnlyFromAmong("memory", "vcpus");
        var target = new Option<double?>("--target") { Description = "Stop once the spread is within this many percentage points" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan only; run it later with drover approve" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the job is accepted" };
        var command = new Command("rebalance", "Even out the fleet") { strategy, target, dryRun, noWait };
        command.SetAction(Run(async (x, ct) =>
        {
            var accepted = await x.Client.Post<JobAccepted>("/api/rebalance",
                new { strategy = x.Parse.GetValue(strategy), dryRun = x.Parse.GetValue(dryRun), targetSpreadPoints = x.Parse.GetValue(target) }, ct);
            return await Follow.Job(x, accepted.Id, wait: !x.Parse.GetValue(noWait), ct);
        }));
        return command;
    }

    private static Command Drain()
    {
        var host = new Argument<string>("HOST") { Description = "The host to empty" };
        host.CompletionSources.Add(HostNames());
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan only; run it later with drover approve" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the job is accepted" };
        var command = new Command("drain", "Move every VM off a host") { host, dryRun, noWait };
        command.SetAction(Run(async (x, ct) =>
        {
            var accepted = await x.Client.Post<JobAccepted>($"/api/hosts/{Uri.EscapeDataString(x.Parse.GetValue(host)!)}/drain", new { dryRun = x.Parse.GetValue(dryRun) }, ct);
            return await Follow.Job(x, accepted.Id, wait: !x.Parse.GetValue(noWait), ct);
        }));
        return command;
    }

    private static Command Jobs()
    {
        var command = new Command("jobs", "The fleet jobs (rebalances and drains), newest first");
        command.SetAction(Run(async (x, ct) =>
        {
            var jobs = await x.Client.Get<List<RebalanceView>>("/api/rebalance", ct);
            if (x.Terminal.Json) x.Terminal.WriteJson(jobs);
            else if (jobs.Count == 0) x.Terminal.Line("no fleet jobs");
            else x.Terminal.Write(Views.Jobs(x.Terminal, jobs));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Job()
    {
        var reference = JobArgument();
        var cancelReference = JobArgument();
        var cancel = new Command("cancel", "Stop a fleet job: no new moves start; running ones finish") { cancelReference };
        cancel.SetAction(Run(async (x, ct) =>
        {
            var id = await References.Job(x.Client, x.Parse.GetValue(cancelReference)!, ct);
            await x.Client.Send(HttpMethod.Post, $"/api/rebalance/{id}/cancel", null, ct);
            return await Follow.Job(x, id, wait: false, ct);
        }));
        var command = new Command("job", "A fleet job's plan and progress") { reference, cancel };
        command.SetAction(Run(async (x, ct) => await Follow.Job(x, await References.Job(x.Client, x.Parse.GetValue(reference)!, ct), wait: false, ct)));
        return command;
    }

    private static Command Approve()
    {
        var reference = JobArgument();
        var noWait = new Option<bool>("--no-wait") { Description = "Return once it is approved" };
        var command = new Command("approve", "Run a planned (dry-run) job") { reference, noWait };
        command.SetAction(Run(async (x, ct) =>
        {
            var id = await References.Job(x.Client, x.Parse.GetValue(reference)!, ct);
            await x.Client.Send(HttpMethod.Post, $"/api/rebalance/{id}/approve", null, ct);
            return await Follow.Job(x, id, wait: !x.Parse.GetValue(noWait), ct);
        }));
        return command;
    }

    private static Command Completion()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print the shell script for tab completion: source <(drover completion bash)") { shell };
        command.SetAction(p =>
        {
            p.InvocationConfiguration.Output.Write(CompletionScripts.For(p.GetValue(shell)!));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Help(RootCommand root, TextWriter output)
    {
        var name = new Argument<string[]>("COMMAND") { Arity = ArgumentArity.ZeroOrMore, Description = "The command to describe" };
        var command = new Command("help", "Describe drover or one of its commands") { name };
        command.SetAction(p => root.Parse([.. p.GetValue(name) ?? [], "--help"]).Invoke(new InvocationConfiguration { Output = output }));
        return command;
    }

    // ---- pieces ----

    /// <summary>The parse result, the terminal and a client for the coordinator the global options name.</summary>
    public sealed record Context(ParseResult Parse, Terminal Terminal, CoordinatorClient Client);

    private static Func<ParseResult, CancellationToken, Task<int>> Run(Func<Context, CancellationToken, Task<int>> action) => async (parse, ct) =>
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            using var client = Client(parse);
            return await action(new Context(parse, new Terminal(output, parse.GetValue(Json)), client), ct);
        }
        catch (UsageException e)
        {
            error.WriteLine($"drover: {e.Message} (drover {parse.CommandResult.Command.Name} --help)");
            return ExitCodes.Usage;
        }
        catch (CoordinatorUnreachableException e)
        {
            error.WriteLine($"drover: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (ApiProblemException e)
        {
            error.WriteLine($"drover: {e.Message}");
            return e.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Conflict ? ExitCodes.Rejected : ExitCodes.Error;
        }
        catch (NotFoundException e)
        {
            error.WriteLine($"drover: {e.Message}");
            return ExitCodes.Error;
        }
    };

    private static CoordinatorClient Client(ParseResult parse, TimeSpan? timeout = null)
    {
        string url = parse.GetValue(Url) ?? Environment.GetEnvironmentVariable("DROVER_URL") ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--url '{url}' is not an http(s) URL");
        return new CoordinatorClient(uri, parse.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("DROVER_API_KEY"), timeout);
    }

    /// <summary>Completions read from the coordinator (host names, VM names, migration ids); none when it does not answer quickly.</summary>
    private static Func<CompletionContext, IEnumerable<CompletionItem>> FromApi(Func<CoordinatorClient, Task<IEnumerable<string>>> read) => context =>
    {
        try
        {
            using var client = Client(context.ParseResult, TimeSpan.FromSeconds(2));
            return read(client).GetAwaiter().GetResult()
                .Where(s => s.StartsWith(context.WordToComplete, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)
                .Select(s => new CompletionItem(s)).ToList();
        }
        catch (Exception e) when (e is CoordinatorUnreachableException or ApiProblemException or UsageException or System.Text.Json.JsonException)
        {
            return [];
        }
    };

    private static Func<CompletionContext, IEnumerable<CompletionItem>> HostNames() =>
        FromApi(async c => (await c.Get<List<HostView>>("/api/hosts")).Select(h => h.Name));

    private static Option<string?> HostOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "HOST" };
        option.CompletionSources.Add(HostNames());
        return option;
    }

    private static Argument<string?> MigrationArgument(ArgumentArity arity)
    {
        var argument = new Argument<string?>("MIGRATION") { Arity = arity, Description = "A migration id, its first characters, or a VM's name (its latest migration)" };
        argument.CompletionSources.Add(FromApi(async c => (await c.Get<List<MigrationView>>("/api/migrations?limit=50")).SelectMany(m => new[] { Views.Short(m.Id), m.Vm })));
        return argument;
    }

    private static Argument<string> JobArgument()
    {
        var argument = new Argument<string>("JOB") { Description = "A fleet job's id or its first characters" };
        argument.CompletionSources.Add(FromApi(async c => (await c.Get<List<RebalanceView>>("/api/rebalance")).Select(j => Views.Short(j.Id))));
        return argument;
    }

    /// <summary>An argument never takes a word that looks like an option: <c>drover status --frobnicate</c> is an unknown
    /// option, not a migration named "--frobnicate".</summary>
    private static void RefuseOptionsAsArguments(Command command)
    {
        foreach (var argument in command.Arguments)
            argument.Validators.Add(r =>
            {
                foreach (var token in r.Tokens.Where(t => t.Value.StartsWith('-')))
                    r.AddError($"Unrecognized command or argument '{token.Value}'.");
            });
        foreach (var sub in command.Subcommands) RefuseOptionsAsArguments(sub);
    }

    /// <summary>A whole-number option whose error says so in words.</summary>
    private static Option<long?> WholeNumber(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = r =>
        {
            string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long n)) return n;
            r.AddError($"{name} takes a whole number, not '{text}'");
            return null;
        },
    };

    private static string Query(params (string Name, string? Value)[] parts)
    {
        var given = parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}
