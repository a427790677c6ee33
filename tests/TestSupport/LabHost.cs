using Drover.HostAgent.Libvirt;

namespace Drover.TestSupport;

/// <summary>One host of the lab, as <c>scripts/lab.sh hosts</c> prints it.</summary>
public sealed record LabHost(string Name, string LibvirtUri, string MigrationUri)
{
    /// <summary>The same libvirtd over TLS (port 16514, the lab CA's certificates; scripts/lab.sh).</summary>
    public string TlsMigrationUri => $"qemu+tls://{new Uri(MigrationUri).Host}/system";

    /// <summary>What the domain's QEMU answers <paramref name="command"/> on its monitor (virsh qemu-monitor-command): the "return" member.</summary>
    public async Task<System.Text.Json.JsonElement> Monitor(string domain, string command)
    {
        string output = await Shell.Run("virsh", "-c", LibvirtUri, "qemu-monitor-command", domain, $$"""{"execute":"{{command}}"}""");
        return System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("return").Clone();
    }

    /// <summary>The host's local storage as the machine sees it (inside the host it is /var/lib/drover).</summary>
    public string LocalDirectory => Path.Combine(Lab.Root, "hosts", Name, "local");

    public LibvirtConnection Connect() => LibvirtConnection.Open(LibvirtUri);

    /// <summary>The domain's state on this host, or null when the host does not know it.</summary>
    public DomainRunState? StateOf(string domain)
    {
        using var connection = Connect();
        using var d = connection.FindDomain(domain);
        return d?.State;
    }

    /// <summary>Whether the host starts the domain when it boots.</summary>
    public bool Autostart(string domain)
    {
        using var connection = Connect();
        using var d = connection.FindDomain(domain);
        return d?.Autostart ?? false;
    }

    public bool IsPersistent(string domain)
    {
        using var connection = Connect();
        using var d = connection.FindDomain(domain);
        return d?.IsPersistent ?? false;
    }

    /// <summary>The file disks of the domain's definition, as paths inside the host.</summary>
    public IReadOnlyList<string> DisksOf(string domain)
    {
        using var connection = Connect();
        using var d = connection.FindDomain(domain) ?? throw new InvalidOperationException($"{Name} has no domain {domain}");
        return HostAgent.Steps.DomainXml.Parse(d.GetXml()).FileDisks;
    }

    public string SerialLog(string domain)
    {
        string path = Path.Combine(LocalDirectory, "serial", domain + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }
}
