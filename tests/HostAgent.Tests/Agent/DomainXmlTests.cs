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
}
