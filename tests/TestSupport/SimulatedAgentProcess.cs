using System.Diagnostics;

namespace Drover.TestSupport;

/// <summary>One agent process serving many simulated hosts (<c>Agent:Hypervisor=Simulated</c>): for measuring the control
/// plane, never for proving that a migration works.</summary>
public sealed class SimulatedAgentProcess : IDisposable
{
    private readonly Process _process;

    private SimulatedAgentProcess(Process process, string prefix, int hosts, string log)
    {
        _process = process;
        LogPath = log;
        HostNames = Enumerable.Range(1, hosts).Select(i => $"{prefix}-{i.ToString($"D{Math.Max(2, hosts.ToString().Length)}")}").ToList();
    }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public IReadOnlyList<string> HostNames { get; }

    /// <summary>Starts an agent simulating <paramref name="hosts"/> hosts named <c>{prefix}-01</c>... with <paramref name="domains"/>
    /// domains <c>{prefix}-vm-00001</c>... spread over them; <paramref name="settings"/> add to or override its configuration.</summary>
    public static SimulatedAgentProcess Start(string prefix, int hosts, int domains, IReadOnlyDictionary<string, string>? settings = null)
    {
        string dll = Path.Combine(Repository.Root, "src", "HostAgent", "bin", BuildConfiguration.Name, "net10.0", "Drover.HostAgent.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution first (scripts/test.sh does)", dll);
        string log = Path.Combine(Repository.Root, "tests", "TestResults", $"agent-simulated-{prefix}-{DateTime.UtcNow:HHmmss.fff}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var psi = new ProcessStartInfo("dotnet");
        psi.ArgumentList.Add(dll);
        foreach (var (k, v) in Broker.Settings(Broker.CoordinatorUser)) psi.Environment[k] = v;
        psi.Environment["Agent__Hypervisor"] = "Simulated";
        psi.Environment["Agent__HostName"] = prefix;
        psi.Environment["Agent__Simulated__Hosts"] = hosts.ToString();
        psi.Environment["Agent__Simulated__Domains"] = domains.ToString();
        psi.Environment["Agent__HeartbeatInterval"] = "00:00:01";
        psi.Environment["Urls"] = "http://127.0.0.1:0";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return new SimulatedAgentProcess(ChildProcesses.Start(psi, log), prefix, hosts, log);
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
