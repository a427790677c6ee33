using System.CommandLine;
using System.CommandLine.Invocation;
using Drover.Cli;

var root = DroverCommand.Create(Console.Out);
var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
{
    // Bad usage never acts: every error, then where to read more; exit 2.
    foreach (var e in parse.Errors) Console.Error.WriteLine($"drover: {e.Message}");
    string command = parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name + " ";
    Console.Error.WriteLine($"(see: drover {command}--help)");
    return ExitCodes.Usage;
}
return await parse.InvokeAsync(new InvocationConfiguration { Output = Console.Out, Error = Console.Error });
