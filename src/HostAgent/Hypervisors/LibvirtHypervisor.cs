using Drover.HostAgent.Hosting;
using Drover.HostAgent.Libvirt;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Hypervisors;

/// <summary>The agent's one connection to its host's libvirtd, with events, reopened when libvirtd went away.</summary>
public sealed partial class LibvirtHypervisor(AgentOptions options, ILogger<LibvirtHypervisor> logger) : IHypervisor, IDisposable
{
    private readonly Lock _gate = new();
    private LibvirtConnection? _connection;

    public string HostName => options.HostName;

    public string MigrationUri => options.MigrationUri;

    public IReadOnlyList<string> SharedStorage => options.SharedStorage;

    public string Endpoint => options.LibvirtUri;

    public IHypervisorConnection Connection
    {
        get
        {
            lock (_gate)
            {
                if (_connection is { IsAlive: true }) return _connection;
                // libvirtd went away (a restart, a crash): forget the dead connection before trying a new one, so that a
                // failed attempt leaves nothing disposed behind and the next call tries again.
                var dead = _connection;
                _connection = null;
                if (dead is not null) Close(dead);
                _connection = LibvirtConnection.Open(options.LibvirtUri, withEvents: true);
                _connection.DomainLifecycle += e => LogLifecycle(e.DomainName, e.Type, e.Detail);
                LogConnected(options.LibvirtUri, HostName);
                return _connection;
            }
        }
    }

    public bool IsConnected
    {
        get
        {
            lock (_gate) return _connection is { IsAlive: true };
        }
    }

    public T WithPeer<T>(string uri, Func<IHypervisorConnection, T> use)
    {
        using var peer = LibvirtConnection.Open(uri);
        return use(peer);
    }

    private void Close(LibvirtConnection dead)
    {
        try { dead.Dispose(); }
        catch (LibvirtException e) { LogCloseFailed(e.LibvirtMessage); }   // its daemon is gone: nothing to tell it
        LogDisconnected(HostName);
    }

    public void Dispose() => _connection?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to libvirtd on {Host}; reconnecting")]
    private partial void LogDisconnected(string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the dead libvirt connection: {Reason}")]
    private partial void LogCloseFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {LibvirtUri} as host {Host}")]
    private partial void LogConnected(string libvirtUri, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain {Domain}: {LifecycleEvent} (detail {Detail})")]
    private partial void LogLifecycle(string domain, DomainEventType lifecycleEvent, int detail);
}
