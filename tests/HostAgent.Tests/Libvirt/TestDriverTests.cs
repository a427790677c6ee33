using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Tests.Libvirt;

/// <summary>The binding against libvirt's test driver (test:///default): everything but migration.</summary>
public sealed class TestDriverTests
{
    private const string Xml = "<domain type='test'><name>NAME</name><memory unit='MiB'>64</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>";

    [Fact]
    public void Opens_the_test_driver_and_lists_its_default_domain()
    {
        using var connection = LibvirtConnection.Open("test:///default");
        var domains = connection.ListDomains();
        try
        {
            Assert.Contains(domains, d => d.Name == "test" && d.State == DomainRunState.Running);
        }
        finally
        {
            foreach (var d in domains) d.Dispose();
        }
    }

    [Fact]
    public void Reports_versions_and_node_information()
    {
        using var connection = LibvirtConnection.Open("test:///default");
        Assert.True(connection.LibvirtVersion >= 9_000_000, $"libvirt {connection.LibvirtVersion}");
        var info = connection.GetHostInfo();
        Assert.True(info.Cpus > 0);
        Assert.True(info.MemoryKiB > 0);
        Assert.True(connection.FreeMemoryKiB > 0);
        Assert.Contains("<capabilities>", connection.Capabilities);
    }

    [Fact]
    public void Defines_starts_suspends_resumes_destroys_and_undefines_a_domain()
    {
        using var connection = LibvirtConnection.Open("test:///default");
        using var domain = connection.Define(Xml.Replace("NAME", "lifecycle"));
        Assert.Equal(DomainRunState.Shutoff, domain.State);
        Assert.True(domain.IsPersistent);
        Assert.Equal((64L * 1024, 2), domain.Size);
        domain.Start();
        Assert.Equal(DomainRunState.Running, domain.State);
        domain.Suspend();
        Assert.Equal(DomainRunState.Paused, domain.State);
        domain.Resume();
        Assert.Equal(DomainRunState.Running, domain.State);
        domain.Destroy();
        Assert.Equal(DomainRunState.Shutoff, domain.State);
        domain.Undefine();
        Assert.Null(connection.FindDomain("lifecycle"));
    }

    [Fact]
    public void Finds_a_domain_by_uuid_and_returns_null_for_an_unknown_one()
    {
        using var connection = LibvirtConnection.Open("test:///default");
        using var byName = connection.GetDomain("test");
        using var byUuid = connection.FindDomain(byName.Uuid.ToString());
        Assert.Equal("test", byUuid?.Name);
        Assert.Null(connection.FindDomain("no-such-domain"));
        var e = Assert.Throws<LibvirtException>(() => connection.GetDomain("no-such-domain"));
        Assert.Equal(LibvirtErrorCode.NoDomain, e.Code);
    }

    [Fact]
    public void Returns_the_migratable_xml()
    {
        using var connection = LibvirtConnection.Open("test:///default");
        using var domain = connection.GetDomain("test");
        string xml = domain.GetXml(migratable: true);
        Assert.StartsWith("<domain type='test'", xml);
        Assert.Contains("<name>test</name>", xml);
    }

    [Fact]
    public void Turns_libvirt_errors_into_typed_exceptions()
    {
        var open = Assert.Throws<LibvirtException>(() => LibvirtConnection.Open("bogus+ssh://nowhere.invalid/system"));
        Assert.Equal("virConnectOpen(bogus+ssh://nowhere.invalid/system)", open.Operation);
        Assert.False(string.IsNullOrEmpty(open.LibvirtMessage));

        using var connection = LibvirtConnection.Open("test:///default");
        var xml = Assert.Throws<LibvirtException>(() => connection.Define("<domain><name>broken"));
        Assert.Equal(LibvirtErrorCode.XmlDetail, xml.Code);

        using var domain = connection.GetDomain("test");
        var migrate = Assert.Throws<LibvirtException>(() => domain.Migrate(new MigrationRequest
        {
            DestinationUri = "test:///default",
            Flags = MigrationFlags.Live | MigrationFlags.PeerToPeer,
            BandwidthMiBps = 10,
        }));
        Assert.Equal(LibvirtErrorCode.ArgumentUnsupported, migrate.Code);
    }
}
