namespace Drover.HostAgent.Libvirt;

/// <summary>virNodeGetInfo: the host's CPU and memory.</summary>
public sealed record HostInfo(string CpuModel, int Cpus, long MemoryKiB);
