using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

/// <summary>A virDomainPtr. It keeps its connection alive until it is released.</summary>
internal sealed class SafeDomainHandle : SafeHandle
{
    private SafeConnectionHandle? _connection;

    public SafeDomainHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal SafeDomainHandle(IntPtr domain, SafeConnectionHandle connection) : this()
    {
        bool added = false;
        connection.DangerousAddRef(ref added);
        _connection = connection;
        SetHandle(domain);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        bool freed = Interop.FreeDomain(handle) >= 0;
        _connection?.DangerousRelease();
        _connection = null;
        return freed;
    }
}
