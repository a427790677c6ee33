using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Drover.TestSupport;

/// <summary>A real host agent process inside a lab host's namespaces, as it would run on a KVM host.</summary>
public sealed class AgentProcess : IDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process, LabHost host, string log, int healthPort)
    {
        _process = process;
        Host = host;
        LogPath = log;
        _health = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    private readonly HttpClient _health;

    public LabHost Host { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the agent of <paramref name="host"/>; with <paramref name="watchdog"/>, as systemd would with
    /// <c>WatchdogSec=</c> (its notifications go to that socket); <paramref name="settings"/> add to or override its
    /// configuration (another broker).</summary>
    public static AgentProcess Start(LabHost host, SystemdNotifySocket? watchdog = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        string dll = Path.Combine(Repository.Root, "src", "HostAgent", "bin", BuildConfiguration.Name, "net10.0", "Drover.HostAgent.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the solution first (scripts/test.sh does)", dll);
        string log = Path.Combine(Repository.Root, "tests", "TestResults", $"agent-{host.Name}-{DateTime.UtcNow:HHmmss.fff}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var psi = new ProcessStartInfo(Repository.Script("lab.sh"));
        foreach (var a in new[] { "exec", host.Name, "dotnet", dll }) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Broker.Settings(Names.AgentUser(host.Name))) psi.Environment[k] = v;
        psi.Environment["Agent__HostName"] = host.Name;
        psi.Environment["Agent__MigrationUri"] = host.MigrationUri;
        psi.Environment["Agent__SharedStorage__0"] = Path.Combine(Lab.Root, "shared");
        psi.Environment["Agent__LocalStorage__0"] = "/var/lib/drover";   // the lab guests' local disks and serial logs
        foreach (var peer in Peers) psi.Environment[$"Agent__Peers__{peer.Name}"] = peer.MigrationUri;
        psi.Environment["Agent__HeartbeatInterval"] = "00:00:01";
        psi.Environment["Agent__HypervisorTimeout"] = HypervisorTimeout.ToString("c");
        psi.Environment["Agent__ProgressInterval"] = "00:00:00.250";
        int healthPort = FreePort();
        psi.Environment["Urls"] = $"http://127.0.0.1:{healthPort}";
        if (watchdog is not null)
        {
            psi.Environment["NOTIFY_SOCKET"] = watchdog.Path;
            psi.Environment["WATCHDOG_USEC"] = ((long)watchdog.Period.TotalMicroseconds).ToString();
        }
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var process = ChildProcesses.Start(psi, log);
        return new AgentProcess(process, host, log, healthPort);
    }

    /// <summary>The lab's hosts (and one that never answers): every agent's Agent:Peers.</summary>
    private static IEnumerable<LabHost> Peers => Lab.Hosts(1).GetAwaiter().GetResult().Append(Lab.UnreachablePeer);

    /// <summary>Settings for an agent that migrates only over TLS (Agent:Tls): its own and its peers' qemu+tls:// URIs.</summary>
    public static IReadOnlyDictionary<string, string> LibvirtTls(LabHost host) =>
        Peers.ToDictionary(p => $"Agent__Peers__{p.Name}", p => p.TlsMigrationUri)
            .Append(new("Agent__Tls", "true")).Append(new("Agent__MigrationUri", host.TlsMigrationUri))
            .ToDictionary();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>GET /health/live or /health/ready: the HTTP status and the report (null when the agent does not answer).</summary>
    public async Task<HealthReport?> Health(string which)
    {
        try
        {
            using var response = await _health.GetAsync($"/health/{which}");
            return new HealthReport(response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>How long the lab's agents wait for a read of their host before they report libvirtd away.</summary>
    public static readonly TimeSpan HypervisorTimeout = TimeSpan.FromSeconds(8);

    /// <summary>SIGSTOP: the agent holds what it received and answers nothing (a hung process), until it is killed.</summary>
    public void Pause()
    {
        if (!_process.HasExited) Signal(_process.Id, SigStop);
        IsPaused = true;
    }

    /// <summary>SIGCONT: a paused agent carries on with what it holds.</summary>
    public void Continue()
    {
        if (!_process.HasExited) Signal(_process.Id, SigCont);
        IsPaused = false;
    }

    public bool IsPaused { get; private set; }

    private const int SigStop = 19, SigCont = 18;

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
        _health.Dispose();
    }
}
