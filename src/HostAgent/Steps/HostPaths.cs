using Drover.HostAgent.Hosting;

namespace Drover.HostAgent.Steps;

/// <summary>
/// The files a command may make this host's agent or libvirt touch: guest files under the host's shared and local storage
/// (and libvirt's own directories), read-only files also under /usr/share (firmware). A path is normalised first, so that
/// <c>..</c> leads nowhere.
/// </summary>
public sealed class HostPaths(AgentOptions options)
{
    private static readonly string[] Libvirt = ["/var/lib/libvirt", "/var/log/libvirt"];
    private static readonly string[] SystemReadOnly = ["/usr/share"];

    /// <summary>Where guest files may be written: the host's storage and libvirt's directories.</summary>
    public bool Writable(string path) => Under(path, options.SharedStorage.Concat(options.LocalStorage).Concat(Libvirt));

    /// <summary>Where guest files may be read from: also firmware and kernels shipped with the system.</summary>
    public bool Readable(string path) => Writable(path) || Under(path, SystemReadOnly);

    /// <summary>Under the storage the agent itself reads and deletes in (probes): the shared and local storage only.</summary>
    public bool Storage(string path) => Under(path, options.SharedStorage.Concat(options.LocalStorage));

    /// <summary>Under this host's own (not shared) storage: where it creates images for a storage copy.</summary>
    public bool Local(string path) => Under(path, options.LocalStorage);

    private static bool Under(string path, IEnumerable<string> roots)
    {
        if (!Path.IsPathFullyQualified(path)) return false;
        string full = Path.GetFullPath(path);
        return roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))
            .Any(r => full.StartsWith(r + "/", StringComparison.Ordinal));
    }
}
