using Drover.HostAgent.Libvirt;
using Xunit;

namespace Drover.TestSupport;

public static class Invariants
{
    /// <summary>The VM runs (or is paused) on exactly one host: the one named.</summary>
    public static void RunsOnlyOn(LabHost expected, string domain, IEnumerable<LabHost> hosts)
    {
        var active = hosts.Where(h => h.StateOf(domain) is { } s && s.IsActive()).Select(h => h.Name).ToList();
        Assert.Equal([expected.Name], active);
        Assert.Equal(DomainRunState.Running, expected.StateOf(domain));
    }
}
