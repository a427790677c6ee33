using System.Xml;
using System.Xml.Linq;

namespace Drover.HostAgent.Steps;

/// <summary>What the agent reads from a domain's XML: its disks, passthrough devices and CPU. Parsed, never string-matched.</summary>
public sealed class DomainXml
{
    private readonly XElement _root;

    private DomainXml(XElement root) => _root = root;

    public static DomainXml Parse(string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var root = XDocument.Load(reader).Root;
        return root is { Name.LocalName: "domain" } ? new DomainXml(root) : throw new XmlException("not a <domain> document");
    }

    public string? Name => _root.Element("name")?.Value;

    /// <summary>Our element in the domain's &lt;metadata&gt;: which migration defined this configuration.</summary>
    private static readonly XNamespace MarkNamespace = "https://drover.dev/xmlns/migration/1";

    /// <summary>The migration that defined this configuration on its destination, when Drover did.</summary>
    public Guid? MigrationMark =>
        Guid.TryParse((string?)_root.Element("metadata")?.Element(MarkNamespace + "migration")?.Attribute("id"), out var id) ? id : null;

    /// <summary>The same domain with <paramref name="migrationId"/> as its mark (so a redelivered definition knows itself).</summary>
    public string WithMigrationMark(Guid migrationId)
    {
        var root = new XElement(_root);
        var metadata = root.Element("metadata");
        if (metadata is null)
        {
            metadata = new XElement("metadata");
            root.Add(metadata);
        }
        metadata.Elements(MarkNamespace + "migration").Remove();
        metadata.Add(new XElement(MarkNamespace + "migration", new XAttribute("xmlns", MarkNamespace.NamespaceName), new XAttribute("id", migrationId)));
        return root.ToString(SaveOptions.DisableFormatting);
    }

    public string? VirtType => _root.Attribute("type")?.Value;

    /// <summary>File-backed disks (and CD-ROMs with media), by path.</summary>
    public IReadOnlyList<string> FileDisks =>
        _root.Element("devices")?.Elements("disk")
            .Where(d => (string?)d.Attribute("type") is "file" or null)
            .Select(d => (string?)d.Element("source")?.Attribute("file"))
            .OfType<string>()
            .ToList() ?? [];

    /// <summary>Block devices: never on shared storage as far as the agent can prove.</summary>
    public IReadOnlyList<string> BlockDisks =>
        _root.Element("devices")?.Elements("disk")
            .Where(d => (string?)d.Attribute("type") == "block")
            .Select(d => (string?)d.Element("source")?.Attribute("dev"))
            .OfType<string>()
            .ToList() ?? [];

    /// <summary>Devices that tie the VM to this host: PCI/USB passthrough, hostdev interfaces.</summary>
    public IReadOnlyList<string> HostDevices =>
        _root.Element("devices")?.Elements()
            .Where(e => e.Name.LocalName == "hostdev" || (e.Name.LocalName == "interface" && (string?)e.Attribute("type") == "hostdev"))
            .Select(e => e.Name.LocalName + "/" + ((string?)e.Attribute("type") ?? "?"))
            .ToList() ?? [];

    /// <summary>The guest CPU definition when it names a model (host-model/host-passthrough compare against nothing).</summary>
    public string? CustomCpuXml =>
        _root.Element("cpu") is { } cpu && cpu.Element("model") is not null && (string?)cpu.Attribute("mode") is null or "custom"
            ? cpu.ToString(SaveOptions.DisableFormatting)
            : null;
}
