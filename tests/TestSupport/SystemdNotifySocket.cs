using System.Net.Sockets;
using System.Text;

namespace Drover.TestSupport;

/// <summary>
/// What systemd listens on for a <c>Type=notify</c> service with <c>WatchdogSec=</c>: a Unix datagram socket (the
/// process finds it in <c>NOTIFY_SOCKET</c>). Keeps every notification with the time it arrived.
/// </summary>
public sealed class SystemdNotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<(DateTimeOffset At, string Text)> _received = [];
    private readonly CancellationTokenSource _stop = new();

    public SystemdNotifySocket(TimeSpan period)
    {
        Period = period;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"drover-notify-{Guid.NewGuid():N}.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _ = Task.Run(Receive);
    }

    public string Path { get; }

    /// <summary>The watchdog period the process is given (<c>WATCHDOG_USEC</c>).</summary>
    public TimeSpan Period { get; }

    /// <summary>How many notifications saying <paramref name="text"/> arrived after <paramref name="since"/>.</summary>
    public int Count(string text, DateTimeOffset since)
    {
        lock (_received) return _received.Count(r => r.At > since && r.Text.Split('\n').Contains(text));
    }

    private async Task Receive()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                lock (_received) _received.Add((DateTimeOffset.UtcNow, Encoding.UTF8.GetString(buffer, 0, n).Trim()));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        File.Delete(Path);
    }
}
