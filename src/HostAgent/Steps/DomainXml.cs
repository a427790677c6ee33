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

    public Guid? Uuid => Guid.TryParse(_root.Element("uuid")?.Value, out var uuid) ? uuid : null;

    private static readonly XNamespace QemuNamespace = "http://libvirt.org/schemas/domain/qemu/1.0";

    /// <summary>QEMU pass-through elements (<c>qemu:commandline</c>, <c>qemu:capabilities</c>, ...): what libvirt hands QEMU unchecked.</summary>
    public IReadOnlyList<string> QemuPassThrough =>
        _root.Descendants().Where(e => e.Name.Namespace == QemuNamespace).Select(e => "qemu:" + e.Name.LocalName).Distinct().ToList();

    /// <summary>The host files and directories the guest's QEMU would open, each with whether it writes there: disks (and their
    /// backing chains), kernel, firmware and NVRAM, file-backed character devices and their logs, shared directories.</summary>
    public IReadOnlyList<(string Path, bool Written)> Files
    {
        get
        {
            var files = new List<(string, bool)>();
            void Add(string? path, bool written)
            {
                if (!string.IsNullOrEmpty(path)) files.Add((path, written));
            }
            var os = _root.Element("os");
            foreach (string element in (string[])["kernel", "initrd", "dtb", "loader"]) Add(os?.Element(element)?.Value.Trim(), false);
            if (os?.Element("nvram") is { } nvram)
            {
                Add(nvram.Value.Trim(), true);
                Add((string?)nvram.Attribute("template"), false);
            }
            foreach (var device in _root.Element("devices")?.Elements() ?? [])
            {
                string? type = (string?)device.Attribute("type");
                if (device.Name.LocalName == "disk")
                {
                    bool written = device.Element("readonly") is null && (string?)device.Attribute("device") is not ("cdrom" or "floppy");
                    Add((string?)device.Element("source")?.Attribute("file"), written);
                    Add((string?)device.Element("source")?.Attribute("dir"), written);
                    foreach (var backing in device.Descendants("backingStore"))
                        Add((string?)backing.Element("source")?.Attribute("file"), false);
                }
                else if (device.Name.LocalName == "filesystem")
                    Add((string?)device.Element("source")?.Attribute("dir"), device.Element("readonly") is null);
                else if (type == "file")
                    Add((string?)device.Element("source")?.Attribute("path"), true);
                foreach (var log in device.Elements("log")) Add((string?)log.Attribute("file"), true);
            }
            return files;
        }
    }

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

    /// <summary>The program libvirt runs for the guest (<c>&lt;emulator&gt;</c>), when the definition names one.</summary>
    public string? Emulator => _root.Element("devices")?.Element("emulator")?.Value.Trim();

    public string? VirtType => _root.Attribute("type")?.Value;

    /// <summary>File-backed disks (and CD-ROMs with media), by path.</summary>
    public IReadOnlyList<string> FileDisks =>
        _root.Element("devices")?.Elements("disk")
            .Where(d => (string?)d.Attribute("type") is "file" or null)
            .Select(d => (string?)d.Element("source")?.Attribute("file"))
            .OfType<string>()
            .ToList() ?? [];

    /// <summary>Every disk with a source, for validation and storage copy: libvirt's type, its source (path, device, or
    /// protocol:name, or pool/volume), whether the guest writes it, its cache mode (null: QEMU's default, writeback), the
    /// files of its backing chain as the live XML shows them, its pool and volume, its format (the driver's type; raw when
    /// absent), whether other guests share it and whether it has a backing store of any type.</summary>
    public IReadOnlyList<DiskLayers> Disks =>
        _root.Element("devices")?.Elements("disk")
            .Select(d => (d, source: d.Element("source")))
            .Where(x => x.source is not null)
            .Select(x => new DiskLayers(
                (string?)x.d.Attribute("type") ?? "file",
                (string?)x.source!.Attribute("file") ?? (string?)x.source.Attribute("dev") ?? (string?)x.source.Attribute("dir")
                    ?? ((string?)x.source.Attribute("pool") is { } pool ? $"{pool}/{(string?)x.source.Attribute("volume")}"
                    : $"{(string?)x.source.Attribute("protocol")}:{(string?)x.source.Attribute("name")}"),
                x.d.Element("readonly") is null && (string?)x.d.Attribute("device") is not ("cdrom" or "floppy"),
                (string?)x.d.Element("driver")?.Attribute("cache"),
                x.d.Descendants("backingStore").Select(b => (string?)b.Element("source")?.Attribute("file")).OfType<string>().ToList(),
                (string?)x.source.Attribute("pool") is { } poolName && (string?)x.source.Attribute("volume") is { } volume ? (poolName, volume) : null,
                (string?)x.d.Element("driver")?.Attribute("type") ?? "raw",
                x.d.Element("shareable") is not null,
                x.d.Element("backingStore")?.Element("source") is not null))
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

/// <summary>One disk of a definition, as validation and storage copy see it (<see cref="DomainXml.Disks"/>).</summary>
public sealed record DiskLayers(string Type, string Source, bool Writable, string? Cache, IReadOnlyList<string> BackingFiles,
    (string Pool, string Volume)? PoolVolume = null, string Format = "raw", bool Shareable = false, bool HasBackingStore = false)
{
    /// <summary>Copied in a migration with storage copy: the guest writes it and no other guest shares it (CD-ROMs,
    /// read-only and shareable disks stay where they are).</summary>
    public bool Copied => Writable && !Shareable;
}

