using Drover.HostAgent.Hosting;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Hypervisors.Simulated;

/// <summary>
/// The simulated hosts of one agent process and their domains, for measuring the control plane at fleet size (Nova's fake
/// virt driver is the precedent). Migrations move domains between hosts of this fleet only. One lock guards it all: the
/// cost worth measuring is the control plane's, not this bookkeeping.
/// </summary>
public sealed partial class SimulatedFleet
{
    private readonly Dictionary<string, SimulatedHost> _byUri;
    private readonly Random _random;

    public SimulatedFleet(AgentOptions agent, TimeProvider clock, ILogger<SimulatedFleet> logger)
    {
        Options = agent.Simulated;
        Clock = clock;
        _random = new Random(Options.Seed);
        StorageDirectory = Options.StorageDirectory is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), $"drover-simulated-{Environment.ProcessId}");
        Directory.CreateDirectory(StorageDirectory);
        int width = Math.Max(2, Options.Hosts.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        Hosts = Enumerable.Range(1, Options.Hosts).Select(i => new SimulatedHost(this, $"{agent.HostName}-{i.ToString($"D{width}", System.Globalization.CultureInfo.InvariantCulture)}")).ToList();
        _byUri = Hosts.ToDictionary(h => h.MigrationUri, StringComparer.Ordinal);
        for (int i = 0; i < Options.Domains; i++) Hosts[i % Hosts.Count].Seed($"{agent.HostName}-vm-{i + 1:D5}");
        LogSimulated(logger, Hosts.Count, Options.Domains, Hosts[0].HostName, Hosts[^1].HostName);
    }

    public SimulatedOptions Options { get; }

    public TimeProvider Clock { get; }

    public string StorageDirectory { get; }

    public IReadOnlyList<SimulatedHost> Hosts { get; }

    internal Lock Gate { get; } = new();

    internal SimulatedHost? HostAt(string migrationUri) => _byUri.GetValueOrDefault(migrationUri);

    internal bool DrawFailure()
    {
        if (Options.TransferFailureRate <= 0) return false;
        lock (_random) return _random.NextDouble() < Options.TransferFailureRate;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIMULATED HYPERVISOR: this agent serves {Hosts} simulated hosts ({First} … {Last}) with {Domains} simulated domains. " +
        "No VM here is real: for measuring the control plane only (Agent:Hypervisor=Simulated)")]
    private static partial void LogSimulated(ILogger logger, int hosts, int domains, string first, string last);
}
