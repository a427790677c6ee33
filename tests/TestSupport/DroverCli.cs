using System.Diagnostics;

namespace Drover.TestSupport;

/// <summary>Runs the drover command line against a coordinator, as an operator would.</summary>
public static class DroverCli
{
    public static async Task<(int Code, string Output, string Error)> Run(CoordinatorProcess coordinator, params string[] args)
    {
        string dll = Path.Combine(Repository.Root, "src", "Cli", "bin", BuildConfiguration.Name, "net10.0", "drover.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DROVER_URL"] = coordinator.Url.ToString();
        psi.Environment["DROVER_API_KEY"] = CoordinatorProcess.ApiKey;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
        return (process.ExitCode, await output, await error);
    }
}
