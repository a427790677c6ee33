namespace Drover.Cli;

/// <summary>The command line, parsed: positional words, --flags and --options with a value.</summary>
public sealed class CliArguments
{
    private static readonly HashSet<string> Flags =
        ["--live", "--non-live", "--offline", "--persistent", "--undefine-source", "--auto-converge", "--post-copy", "--allow-non-live", "--json", "--watch", "--dry-run", "--help", "-h"];

    private readonly Dictionary<string, string> _options = [];
    private readonly HashSet<string> _flags = [];

    public List<string> Words { get; } = [];

    public static CliArguments Parse(IEnumerable<string> args)
    {
        var parsed = new CliArguments();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string a = e.Current;
            if (Flags.Contains(a)) parsed._flags.Add(a);
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a.Contains('=')) parsed._options[a[..a.IndexOf('=')]] = a[(a.IndexOf('=') + 1)..];
                else if (e.MoveNext()) parsed._options[a] = e.Current;
                else throw new UsageException($"{a} needs a value");
            }
            else parsed.Words.Add(a);
        }
        return parsed;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public long? Number(string name)
    {
        string? v = Option(name);
        if (v is null) return null;
        return long.TryParse(v, out long n) ? n : throw new UsageException($"{name} takes a whole number, not '{v}'");
    }

    public void RejectUnknown(params string[] known)
    {
        foreach (string o in _options.Keys.Where(o => !known.Contains(o)))
            throw new UsageException($"unknown option {o}");
    }
}
