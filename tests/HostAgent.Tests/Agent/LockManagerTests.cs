using Drover.HostAgent.Libvirt;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>
/// The lab runs libvirt's lock manager (virtlockd, lockd plugin, leases on the shared storage) as the README asks of a fleet.
/// Where QEMU's own image locks cannot see the other host (here: each host's own copy of a disk at the same path, as with
/// shared storage whose locks do not cross hosts), the lease is what refuses a second start.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class LockManagerTests(AgentFixture lab) : IDisposable
{
    private readonly string _vm = "lease-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => Lab.Remove(_vm, lab.Hosts);

    [Fact]
    public async Task A_guest_running_on_one_host_cannot_start_on_another_through_its_lease_and_can_once_it_stopped()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true);
        string image = Path.Combine("images", _vm + ".qcow2");
        File.Copy(Path.Combine(lab.A.LocalDirectory, image), Path.Combine(lab.B.LocalDirectory, image));   // QEMU on B locks its own copy
        string definition = Path.Combine(Lab.Root, "domains", _vm + ".xml");
        await Shell.Run("virsh", "-q", "-c", lab.B.LibvirtUri, "define", definition);

        var second = await Shell.TryRun("virsh", "-q", "-c", lab.B.LibvirtUri, "start", _vm);

        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("Lockspace resource", second.Output);
        Assert.Contains("is locked", second.Output);
        Assert.Equal(DomainRunState.Shutoff, lab.B.StateOf(_vm));
        int ticks = SerialCounter.Ticks(lab.A.SerialLog(_vm)).Count;
        await Lab.WaitForTicks(lab.A, _vm, ticks + 2);   // the first one never noticed

        await Shell.Run("virsh", "-q", "-c", lab.A.LibvirtUri, "destroy", _vm);   // its lease goes with it
        await Shell.Run("virsh", "-q", "-c", lab.B.LibvirtUri, "start", _vm);
        Assert.Equal(DomainRunState.Running, lab.B.StateOf(_vm));
    }
}
