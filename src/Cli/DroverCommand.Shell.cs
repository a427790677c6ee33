using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;
using Drover.Api;
using Drover.Contracts;

namespace Drover.Cli;

/// <summary>The commands about drover itself: help and tab completion.</summary>
public static partial class DroverCommand
{
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
}
