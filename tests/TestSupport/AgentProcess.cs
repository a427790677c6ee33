using System.Diagnostics;

namespace Drover.TestSupport;

/// <summary>A real host agent process inside a lab host's namespaces, as it would run on a KVM host.</summary>
public sealed class AgentProcess : IDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process, LabHost host, string log)
    {
        _process = process;
        Host = host;
        LogPath = log;
    }

    public LabHost Host { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static AgentProcess Start(LabHost host)
    {
        string dll = Path.Combine(Repository.Root, "src", "HostAgent", "bin", BuildConfiguration.Name, "net10.0", "Drover.HostAgent.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution first (scripts/test.sh does)", dll);
        string log = Path.Combine(Repository.Root, "tests", "TestResults", $"agent-{host.Name}-{DateTime.UtcNow:HHmmss.fff}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var psi = new ProcessStartInfo(Repository.Script("lab.sh"));
        foreach (var a in new[] { "exec", host.Name, "dotnet", dll }) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Broker.Settings()) psi.Environment[k] = v;
        psi.Environment["Agent__HostName"] = host.Name;
        psi.Environment["Agent__MigrationUri"] = host.MigrationUri;
        psi.Environment["Agent__SharedStorage__0"] = Path.Combine(Lab.Root, "shared");
        psi.Environment["Agent__HeartbeatInterval"] = "00:00:01";
        psi.Environment["Agent__ProgressInterval"] = "00:00:00.250";
        var process = ChildProcesses.Start(psi, log);
        return new AgentProcess(process, host, log);
    }

    /// <summary>SIGSTOP: the agent holds what it received and answers nothing (a hung process), until it is killed.</summary>
    public void Pause()
    {
        if (!_process.HasExited) Signal(_process.Id, SigStop);
        IsPaused = true;
    }

    public bool IsPaused { get; private set; }

    private const int SigStop = 19;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    /// <summary>SIGKILL, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
