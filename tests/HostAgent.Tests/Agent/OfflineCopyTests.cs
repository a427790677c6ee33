using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.TestSupport;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>
/// An offline migration with storage copy, step by step on real hosts: the destination makes an empty volume in its pool,
/// the source streams the image into it and tells its SHA-256, and the destination checks its copy against it before the
/// migration can count as done. A copy that differs is refused and rolled back; an image no pool holds is refused at once.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class OfflineCopyTests(AgentFixture lab) : IAsyncLifetime
{
    private readonly string _vm = "stream-" + Guid.NewGuid().ToString("N")[..8];
    private readonly AgentSteps _steps = new(lab);
    private readonly Guid _id = Guid.NewGuid();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Lab.Remove(_vm, lab.Hosts);
        foreach (var host in lab.Hosts) File.Delete(Image(host));
        File.Delete(Path.Combine(lab.A.LocalDirectory, $"{_vm}.qcow2"));
        return Task.CompletedTask;
    }

    private string Image(LabHost host) => Path.Combine(host.LocalDirectory, "images", $"{_vm}.qcow2");

    private string InsideHost => $"/var/lib/drover/images/{_vm}.qcow2";

    private ValidateSource Validate(Guid id) => new() { Ticket = Tickets.Valid(), MigrationId = id, Domain = _vm, Kind = MigrationKind.Offline, CopyStorage = true };

    [Fact]
    public async Task A_streamed_image_that_differs_on_the_destination_is_refused_at_cut_over_and_the_rollback_deletes_it()
    {
        await Lab.CreateGuest(lab.A, _vm, localDisk: true, stopped: true);
        string original = await Shell.Sha256(Image(lab.A));

        var source = await _steps.Expect<SourceValidated>(lab.A, Validate(_id), _id);
        var image = Assert.Single(source.CopiedDisks);
        Assert.Equal(InsideHost, image.Path);
        Assert.Null(image.Sha256);

        await _steps.Expect<DomainDefined>(lab.B, new DefineDomain
        {
            Ticket = Tickets.Valid(), MigrationId = _id, DomainName = _vm, DomainUuid = source.DomainUuid, MigratableXml = source.MigratableXml,
            CreateDisks = source.CopiedDisks, StreamDisks = true,
        }, _id);
        Assert.Equal(0, new FileInfo(Image(lab.B)).Length);   // an empty volume of kvm-b's pool, for the stream to fill
        Assert.Contains($"{_vm}.qcow2", await Shell.Run("virsh", "-q", "-c", lab.B.LibvirtUri, "vol-list", "local"));

        var transferred = await _steps.Expect<MemoryTransferred>(lab.A,
            AgentSteps.TransferFor(_id, _vm, MigrationKind.Offline, lab.B) with { StreamDisks = source.CopiedDisks }, _id);
        var streamed = Assert.Single(transferred.StreamedDisks);
        Assert.Equal(original, streamed.Sha256);
        Assert.Equal(original, await Shell.Sha256(Image(lab.B)));
        Assert.Equal(new FileInfo(Image(lab.A)).Length, transferred.DataTransferredBytes);

        // Something writes into the copy before the cut-over: it no longer reads as the source sent it.
        await Shell.Run("dd", "if=/dev/urandom", $"of={Image(lab.B)}", "bs=512", "seek=100", "count=1", "conv=notrunc", "status=none");
        var failed = await _steps.ExpectFailure(lab.B, new CutOver
        {
            Ticket = Tickets.Valid(), MigrationId = _id, DomainName = _vm, Kind = MigrationKind.Offline, VerifyDisks = transferred.StreamedDisks,
        }, _id);
        Assert.Equal(AgentFailureCode.HypervisorError, failed.Code);
        Assert.Contains($"The copy of {InsideHost} on {lab.B.Name} differs from what the source streamed", failed.Reason);

        await _steps.Expect<DomainUndefined>(lab.B, new UndefineDomain { Ticket = Tickets.Valid(), MigrationId = _id, DomainName = _vm }, _id);
        Assert.False(File.Exists(Image(lab.B)), "the rollback deletes the volume the destination made");
        Assert.DoesNotContain($"{_vm}.qcow2", await Shell.Run("virsh", "-q", "-c", lab.B.LibvirtUri, "vol-list", "local"));
        Assert.Null(lab.B.StateOf(_vm));
        Assert.Equal(DomainRunState.Shutoff, lab.A.StateOf(_vm));
        Assert.Equal(original, await Shell.Sha256(Image(lab.A)));
    }

    [Fact]
    public async Task An_offline_copy_of_an_image_no_storage_pool_holds_is_refused_at_validation()
    {
        // The guest's disk moved to kvm-a's local storage outside its images pool.
        await Lab.CreateGuest(lab.A, _vm, localDisk: true, stopped: true);
        File.Move(Image(lab.A), Path.Combine(lab.A.LocalDirectory, $"{_vm}.qcow2"));
        using (var connection = lab.A.Connect())
        {
            using var defined = connection.FindDomain(_vm)!;
            connection.Define(defined.GetDefinitionXml().Replace(InsideHost, $"/var/lib/drover/{_vm}.qcow2")).Dispose();
        }

        var failed = await _steps.ExpectFailure(lab.A, Validate(_id), _id);

        Assert.Equal(AgentFailureCode.StorageNotShared, failed.Code);
        Assert.Contains($"Disk /var/lib/drover/{_vm}.qcow2 is in no storage pool on {lab.A.Name}", failed.Reason);
        Assert.False(File.Exists(Image(lab.B)));
        Assert.Null(lab.B.StateOf(_vm));
    }
}
