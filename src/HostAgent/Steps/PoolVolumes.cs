using Drover.Contracts.Agent;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Steps;

/// <summary>Storage-pool volume disks, as both ends of a validation see them: resolved through this host's pool.</summary>
public static class PoolVolumes
{
    /// <summary>The file a volume disk resolves to on this host, or the refusal: the pool or volume missing, or not a file.</summary>
    public static string File(DiskLayers disk, IHypervisorConnection connection, string where)
    {
        var (pool, volume) = disk.PoolVolume ?? throw new StepRefusedException(AgentFailureCode.StorageNotShared, $"Disk {disk.Source} names no pool and volume");
        string path;
        bool isFile;
        try
        {
            (path, isFile) = connection.ResolveVolume(pool, volume);
        }
        catch (LibvirtException e)
        {
            throw new StepRefusedException(AgentFailureCode.StorageNotShared, $"Disk {disk.Source} (pool {pool}, volume {volume}) does not resolve on {where}: {e.Message}");
        }
        return isFile ? path : throw new StepRefusedException(AgentFailureCode.StorageNotShared,
            $"Disk {disk.Source} is volume {path}, not a file: Drover cannot prove it shared");
    }
}
