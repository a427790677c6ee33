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
public static partial class DroverCommand
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
            Keys(), Completion(),
        };
        root.Add(Help(root, output));
        RefuseOptionsAsArguments(root);
        return root;
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
