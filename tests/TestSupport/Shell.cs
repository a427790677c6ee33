using System.Diagnostics;

namespace Drover.TestSupport;

/// <summary>Runs the project's scripts and fails loudly when they fail.</summary>
public static class Shell
{
    public static Task<string> Run(string file, params string[] args) => Run(new Dictionary<string, string>(), file, args);

    /// <summary>A file's SHA-256 (sha256sum), lowercase hex.</summary>
    public static async Task<string> Sha256(string file) => (await Run("sha256sum", file)).Split(' ')[0];

    /// <summary>As <see cref="Run(string, string[])"/>, with <paramref name="environment"/> added to this process's.</summary>
    public static async Task<string> Run(IReadOnlyDictionary<string, string> environment, string file, params string[] args)
    {
        var (code, output) = await TryRun(environment, file, args);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}: {output}");
        return output;
    }

    /// <summary>Runs a command that is expected to fail, or may: its exit code and what it printed (standard error first).</summary>
    public static Task<(int ExitCode, string Output)> TryRun(string file, params string[] args) => TryRun(new Dictionary<string, string>(), file, args);

    private static async Task<(int ExitCode, string Output)> TryRun(IReadOnlyDictionary<string, string> environment, string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, p.ExitCode == 0 ? await stdout : await stderr + await stdout);
    }
}
