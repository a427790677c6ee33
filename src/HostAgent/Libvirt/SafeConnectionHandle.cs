using System.Runtime.InteropServices;

namespace Drover.HostAgent.Libvirt;

/// <summary>An open virConnectPtr; closing it drops our reference.</summary>
internal sealed class SafeConnectionHandle : SafeHandle
{
    public SafeConnectionHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => Interop.CloseConnection(handle) >= 0;
}
