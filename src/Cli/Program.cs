using Drover.Cli;

var arguments = CliArguments.Parse(args.Length == 0 ? ["--help"] : args);
string url = arguments.Option("--url") ?? Environment.GetEnvironmentVariable("DROVER_URL") ?? "http://127.0.0.1:5080";
string? key = arguments.Option("--api-key") ?? Environment.GetEnvironmentVariable("DROVER_API_KEY");
try
{
    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) throw new UsageException($"--url '{url}' is not a URL");
    using var client = new CoordinatorClient(uri, key);
    var commands = new Commands(client, arguments, Console.Out);
    return arguments.Words.FirstOrDefault() switch
    {
        _ when arguments.Has("--help") || arguments.Has("-h") => commands.Help(),
        "migrate" => await commands.Migrate(),
        "status" => await commands.Status(),
        "watch" => await commands.Watch(),
        "hosts" => await commands.Hosts(),
        "cancel" => await commands.Cancel(),
        "rebalance" => await commands.Rebalance(),
        "drain" => await commands.Drain(),
        "job" => await commands.Job(),
        "approve" => await commands.Approve(),
        var other => throw new UsageException($"unknown command '{other}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"drover: {e.Message} (drover --help)");
    return ExitCodes.Usage;
}
catch (CoordinatorUnreachableException e)
{
    Console.Error.WriteLine($"drover: {e.Message}");
    return ExitCodes.Unreachable;
}
catch (ApiProblemException e)
{
    Console.Error.WriteLine($"drover: {e.Message}");
    return e.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Conflict ? ExitCodes.Rejected : ExitCodes.Error;
}
