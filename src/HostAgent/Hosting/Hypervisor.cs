using Drover.HostAgent.Libvirt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Hosting;

/// <summary>The agent's one connection to its host's libvirtd, with events, reopened when libvirtd went away.</summary>
public sealed partial class Hypervisor(IOptions<AgentOptions> options, ILogger<Hypervisor> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private LibvirtConnection? _connection;

    public string HostName => options.Value.HostName;

    public string MigrationUri => options.Value.MigrationUri;

    public LibvirtConnection Connection
    {
        get
        {
            lock (_gate)
            {
                if (_connection is { IsAlive: true }) return _connection;
                _connection?.Dispose();
                _connection = LibvirtConnection.Open(options.Value.LibvirtUri, withEvents: true);
                _connection.DomainLifecycle += e => LogLifecycle(e.DomainName, e.Type, e.Detail);
                LogConnected(options.Value.LibvirtUri, HostName);
                return _connection;
            }
        }
    }

    public void Dispose() => _connection?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {LibvirtUri} as host {Host}")]
    private partial void LogConnected(string libvirtUri, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain {Domain}: {LifecycleEvent} (detail {Detail})")]
    private partial void LogLifecycle(string domain, DomainEventType lifecycleEvent, int detail);
}
