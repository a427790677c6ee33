using Drover.HostAgent.Steps;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>The migration mark a destination's definition carries (pure XML handling).</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class DomainXmlTests
{
    private const string Plain = "<domain type='qemu'><name>web01</name><memory unit='MiB'>128</memory></domain>";

    [Fact]
    public void A_definition_is_marked_with_its_migration_and_reads_it_back()
    {
        var id = Guid.NewGuid();

        var marked = DomainXml.Parse(DomainXml.Parse(Plain).WithMigrationMark(id));

        Assert.Equal(id, marked.MigrationMark);
        Assert.Equal("web01", marked.Name);
        Assert.Null(DomainXml.Parse(Plain).MigrationMark);
    }

    [Fact]
    public void A_new_mark_replaces_the_old_one_and_keeps_other_metadata()
    {
        const string withMetadata = "<domain type='qemu'><name>web01</name><metadata><app:owner xmlns:app='urn:app'>ops</app:owner></metadata></domain>";
        var first = DomainXml.Parse(withMetadata).WithMigrationMark(Guid.NewGuid());
        var second = Guid.NewGuid();

        string xml = DomainXml.Parse(first).WithMigrationMark(second);

        Assert.Equal(second, DomainXml.Parse(xml).MigrationMark);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(xml, "drover.dev/xmlns/migration"));
        Assert.Contains("<app:owner xmlns:app=\"urn:app\">ops</app:owner>", xml);
    }

    [Fact]
    public void A_storage_copy_copies_the_writable_disks_and_names_their_type_format_and_chain()
    {
        const string xml = """
            <domain type='qemu'><name>web01</name><devices>
              <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/drover/images/web01.qcow2'/>
                <backingStore type='file'><format type='qcow2'/><source file='/srv/base.qcow2'/><backingStore/></backingStore></disk>
              <disk type='file' device='disk'><source file='/var/lib/drover/images/data.img'/><backingStore/></disk>
              <disk type='block' device='disk'><driver name='qemu' type='raw'/><source dev='/dev/vg/web01-log'/></disk>
              <disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='rbd' name='pool/web01'/></disk>
              <disk type='file' device='disk'><source file='/srv/shared/ro.img'/><readonly/></disk>
              <disk type='file' device='disk'><source file='/srv/shared/cluster.img'/><shareable/></disk>
              <disk type='file' device='cdrom'><source file='/srv/iso/install.iso'/></disk>
              <disk type='file' device='cdrom'/>
            </devices></domain>
            """;

        Assert.Equal(
            [("file", "/var/lib/drover/images/web01.qcow2", "qcow2", true), ("file", "/var/lib/drover/images/data.img", "raw", false),
             ("block", "/dev/vg/web01-log", "raw", false), ("network", "rbd:pool/web01", "raw", false)],
            DomainXml.Parse(xml).Disks.Where(d => d.Copied).Select(d => (d.Type, d.Source, d.Format, d.HasBackingStore)));
    }

    [Fact]
    public void Validation_sees_every_disk_with_its_type_cache_and_backing_chain()
    {
        const string xml = """
            <domain type='qemu'><name>web01</name><devices>
              <disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/><source file='/srv/vms/web01.qcow2'/>
                <backingStore type='file'><source file='/srv/vms/base.qcow2'/>
                  <backingStore type='file'><source file='/srv/vms/os.qcow2'/><backingStore/></backingStore></backingStore></disk>
              <disk type='network' device='disk'><source protocol='rbd' name='pool/web01'/></disk>
              <disk type='volume' device='disk'><driver name='qemu' cache='directsync'/><source pool='default' volume='data'/></disk>
              <disk type='file' device='cdrom'><source file='/srv/iso/install.iso'/><readonly/></disk>
              <disk type='file' device='cdrom'/>
            </devices></domain>
            """;

        var disks = DomainXml.Parse(xml).Disks;

        Assert.Equal(["file:/srv/vms/web01.qcow2:w:none:/srv/vms/base.qcow2,/srv/vms/os.qcow2", "network:rbd:pool/web01:w::", "volume:default/data:w:directsync:",
            "file:/srv/iso/install.iso:r::"],
            disks.Select(d => $"{d.Type}:{d.Source}:{(d.Writable ? "w" : "r")}:{d.Cache}:{string.Join(",", d.BackingFiles)}"));
    }
}
