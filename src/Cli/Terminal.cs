using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Drover.Cli;

/// <summary>Where the commands write: Spectre.Console on a terminal (colour, tables with borders, live progress), plain
/// aligned text when the output is a pipe or a file, and the API's own JSON with --json.</summary>
public sealed class Terminal
{
    private static readonly JsonSerializerOptions Indented = new(Drover.Api.ApiJson.Options) { WriteIndented = true };

    public Terminal(TextWriter output, bool json, bool? interactive = null)
    {
        Json = json;
        Interactive = !json && (interactive ?? !System.Console.IsOutputRedirected);
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!Interactive) Console.Profile.Width = 400;   // a pipe has no width: never wrap a line a script reads
        Output = output;
    }

    public IAnsiConsole Console { get; }

    public TextWriter Output { get; }

    /// <summary>The output is a terminal a person watches (not --json, not redirected).</summary>
    public bool Interactive { get; }

    public bool Json { get; }

    public void Line(string text) => Output.WriteLine(text);

    /// <summary>Markup on a terminal, the same text without it elsewhere.</summary>
    public void Markup(string markup)
    {
        if (Interactive) Console.MarkupLine(markup);
        else Output.WriteLine(Spectre.Console.Markup.Remove(markup));
    }

    public void Write(IRenderable renderable) => Console.Write(renderable);

    /// <summary>What the API answered, as JSON (the API's names and enums).</summary>
    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>A table in the terminal's style: rounded borders on a terminal, none (aligned columns) elsewhere.</summary>
    public Table Table(params string[] columns)
    {
        var table = new Table().Border(Interactive ? TableBorder.Rounded : TableBorder.None);
        foreach (var c in columns) table.AddColumn(new TableColumn(c).NoWrap());
        return table;
    }
}
