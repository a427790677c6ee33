namespace Drover.HostAgent.Steps;

/// <summary>Removes the storage probes a validation wrote; only files named like probes, inside the host's storage, are touched.</summary>
public static class ProbeFiles
{
    public static void Remove(IEnumerable<string> paths, HostPaths allowed)
    {
        foreach (string path in paths.Where(p => Path.GetFileName(p).StartsWith(".drover-probe-", StringComparison.Ordinal) && allowed.Storage(p)))
            File.Delete(path);
    }
}
