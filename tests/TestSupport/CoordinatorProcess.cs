using System.Diagnostics;
using System.Net.Http.Json;

namespace Drover.TestSupport;

/// <summary>A real coordinator process (ASP.NET Core, its own database) on a free local port.</summary>
public sealed class CoordinatorProcess : IDisposable
{
    public const string ApiKey = "test-api-key";

    /// <summary>How long test coordinators wait for a heartbeat before they call a host Down (agents beat every second in tests).</summary>
    public static readonly TimeSpan HostDownAfter = TimeSpan.FromSeconds(4);

    private readonly Process _process;

    private CoordinatorProcess(Process process, Uri url, string log)
    {
        _process = process;
        Url = url;
        LogPath = log;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public Uri Url { get; }

    public string LogPath { get; }

    public HttpClient Http { get; }

    /// <summary>Starts the coordinator with <paramref name="settings"/> (configuration keys as environment variables) and waits until it is ready.</summary>
    public static async Task<CoordinatorProcess> Start(IReadOnlyDictionary<string, string> settings, int port)
    {
        var coordinator = Launch(settings, port);
        await Eventually.True(() => coordinator.IsReady(), TimeSpan.FromSeconds(60), $"the coordinator on {coordinator.Url} to be ready (log: {coordinator.LogPath})");
        return coordinator;
    }

    /// <summary>Starts the coordinator and returns at once (it may refuse to start: see <see cref="WaitForExit"/>).</summary>
    public static CoordinatorProcess Launch(IReadOnlyDictionary<string, string> settings, int port)
    {
        string dll = Path.Combine(Repository.Root, "src", "Coordinator", "bin", BuildConfiguration.Name, "net10.0", "Drover.Coordinator.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution first (scripts/test.sh does)", dll);
        string log = Path.Combine(Repository.Root, "tests", "TestResults", $"coordinator-{DateTime.UtcNow:HHmmss.fff}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var url = new Uri($"http://127.0.0.1:{port}");
        var psi = new ProcessStartInfo("dotnet");
        psi.ArgumentList.Add(dll);
        foreach (var (k, v) in Broker.Settings(Broker.CoordinatorUser)) psi.Environment[k] = v;
        psi.Environment["Urls"] = url.ToString();
        psi.Environment["Api__Key"] = ApiKey;
        psi.Environment["Migrations__SweepInterval"] = "00:00:00.250";
        psi.Environment["Migrations__HostDownAfter"] = HostDownAfter.ToString("c");
        psi.Environment["Migrations__StepTimeout"] = "00:00:10";     // lab steps take well under a second: recover sooner
        foreach (var (k, v) in settings) psi.Environment[k] = v;
        return new CoordinatorProcess(ChildProcesses.Start(psi, log), url, log);
    }

    /// <summary>Waits for the process to end by itself; its exit code.</summary>
    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    private bool IsReady()
    {
        if (_process.HasExited) throw new InvalidOperationException($"The coordinator exited with {_process.ExitCode}; see {LogPath}");
        try { return Http.GetAsync("/health/ready").GetAwaiter().GetResult().IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }

    public async Task<T> Get<T>(string path) => (await Http.GetFromJsonAsync<T>(path, Json.Options))!;

    /// <summary>SIGKILL, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        Http.Dispose();
        _process.Dispose();
    }
}
