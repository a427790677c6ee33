using System.Xml;
using System.Xml.Linq;
using Drover.HostAgent.Libvirt;

namespace Drover.HostAgent.Hypervisors.Simulated;

/// <summary>The domain XML a simulated host writes for its seeded domains and reads back from a definition, with libvirt's
/// XML errors for what it cannot read.</summary>
internal static class SimulatedDomainXml
{
    private const string Define = "virDomainDefineXML";

    /// <summary>A minimal domain with one file disk.</summary>
    public static string Create(string name, Guid uuid, long memoryKiB, int vcpus, string disk) =>
        new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name), new XElement("uuid", uuid),
            new XElement("memory", new XAttribute("unit", "KiB"), memoryKiB), new XElement("vcpu", vcpus),
            new XElement("os", new XElement("type", "hvm")),
            new XElement("devices", new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
                // as a migratable disk is set up: no host cache (validation refuses a cached disk for a live migration)
                new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "qcow2"), new XAttribute("cache", "none")),
                new XElement("source", new XAttribute("file", disk)), new XElement("target", new XAttribute("dev", "vda")))))
        .ToString(SaveOptions.DisableFormatting);

    /// <summary>Name, UUID, memory and vCPUs of a definition.</summary>
    public static (string Name, Guid Uuid, long MemoryKiB, int VCpus) Describe(string xml)
    {
        XElement root;
        try
        {
            root = XElement.Parse(xml);
        }
        catch (XmlException e)
        {
            throw SimulatedHost.Error(Define, LibvirtErrorCode.XmlError, $"(domain_definition):{e.LineNumber}: {e.Message}");
        }
        if (root.Name.LocalName != "domain") throw SimulatedHost.Error(Define, LibvirtErrorCode.XmlError, "not a <domain> document");
        string name = (string?)root.Element("name") ?? throw SimulatedHost.Error(Define, LibvirtErrorCode.XmlError, "missing domain name");
        if (!Guid.TryParse((string?)root.Element("uuid"), out var uuid))
            throw SimulatedHost.Error(Define, LibvirtErrorCode.XmlError, "missing or malformed domain uuid");
        long memory = long.TryParse((string?)root.Element("memory"), out var m) ? m : 0;
        long memoryKiB = ((string?)root.Element("memory")?.Attribute("unit"))?.ToLowerInvariant() switch
        {
            "mib" or "m" => memory * 1024,
            "gib" or "g" => memory * 1024 * 1024,
            "b" or "bytes" => memory / 1024,
            _ => memory,
        };
        int vcpus = int.TryParse((string?)root.Element("vcpu"), out var v) ? v : 1;
        return (name, uuid, memoryKiB, vcpus);
    }
}
