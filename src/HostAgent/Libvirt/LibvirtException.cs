namespace Drover.HostAgent.Libvirt;

/// <summary>A libvirt call failed; carries libvirt's error code, error domain and message.</summary>
public sealed class LibvirtException : Exception
{
    public LibvirtException(string operation, LibvirtErrorCode code, int errorDomain, string libvirtMessage)
        : base($"{operation}: {libvirtMessage}")
    {
        Operation = operation;
        Code = code;
        ErrorDomain = errorDomain;
        LibvirtMessage = libvirtMessage;
    }

    /// <summary>The libvirt function that failed.</summary>
    public string Operation { get; }

    /// <summary>libvirt's virErrorNumber.</summary>
    public LibvirtErrorCode Code { get; }

    /// <summary>libvirt's virErrorDomain (which part of libvirt raised it).</summary>
    public int ErrorDomain { get; }

    /// <summary>libvirt's own message.</summary>
    public string LibvirtMessage { get; }

    /// <summary>Reads libvirt's last error. Call right after the failing call, on the same thread.</summary>
    internal static unsafe LibvirtException FromLastError(string operation)
    {
        Interop.VirError* error = Interop.virGetLastError();
        if (error == null)
            return new LibvirtException(operation, LibvirtErrorCode.Unknown, 0, "failed without an error from libvirt");
        var code = (LibvirtErrorCode)error->Code;   // codes we do not name keep their number
        return new LibvirtException(operation, code, error->Domain, Interop.BorrowedString(error->Message) ?? $"error {error->Code}");
    }
}
