using Drover.HostAgent.Hosting;

namespace Drover.HostAgent.Steps;

/// <summary>
/// What a host defines for a migration: the migratable XML of the domain being moved (its name and UUID, as the source
/// reported them when the migration was validated) and nothing a migration never needs — QEMU pass-through arguments, host
/// devices the host does not allow, files outside the host's storage. The destination checks it when it validates and again
/// when it defines, so a definition that did not come from the validated source never reaches libvirt.
/// </summary>
public static class DefinitionPolicy
{
    /// <summary>Why <paramref name="host"/> refuses <paramref name="xml"/> as the definition of <paramref name="name"/>
    /// (<paramref name="uuid"/> when known), or null.</summary>
    public static string? Refusal(DomainXml xml, string name, Guid? uuid, AgentOptions options, string host)
    {
        if (xml.Name != name)
            return $"The definition is of domain '{xml.Name}', not of '{name}' that this migration moves";
        if (uuid is { } expected && xml.Uuid != expected)
            return $"The definition has UUID {xml.Uuid?.ToString() ?? "(none)"}, not {expected} of '{name}' as its source reported it";
        if (xml.QemuPassThrough is { Count: > 0 } qemu)
            return $"The definition carries {string.Join(", ", qemu)}: arguments libvirt passes to QEMU unchecked, which a migration never needs";
        if (!options.AllowHostDevices && xml.HostDevices is { Count: > 0 } devices)
            return $"The definition passes host devices through ({string.Join(", ", devices)}); {host} does not allow them (Agent:AllowHostDevices)";
        if (xml.Emulator is { } emulator && !IsQemu(emulator))
            return $"The definition runs {emulator} as its emulator; {host} runs only QEMU from the system (/usr/.../qemu-*)";
        var paths = new HostPaths(options);
        var outside = xml.Files.Where(f => !(f.Written ? paths.Writable(f.Path) : paths.Readable(f.Path))).Select(f => f.Path).ToList();
        if (outside.Count > 0)
            return $"The definition uses {string.Join(", ", outside)}, outside {host}'s storage (Agent:SharedStorage, Agent:LocalStorage)";
        return null;
    }

    /// <summary>A QEMU binary installed with the system: libvirt runs whatever the definition names, as the guest's process.</summary>
    private static bool IsQemu(string path) =>
        Path.IsPathFullyQualified(path) && Path.GetFullPath(path) is var full && full == path && full.StartsWith("/usr/", StringComparison.Ordinal)
        && Path.GetFileName(full).StartsWith("qemu", StringComparison.Ordinal);
}
