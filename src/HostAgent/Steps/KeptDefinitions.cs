using Drover.HostAgent.Hosting;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>
/// The definitions a destination's migration replaced, kept on this host until the migration ends: a rollback defines
/// them again. They are read with their secrets (VIR_DOMAIN_XML_SECURE: passwords, keys), so they never leave the host —
/// not on the bus, not in the coordinator's database. One file per host and migration, readable by root only.
/// </summary>
public sealed class KeptDefinitions(IOptions<AgentOptions> options)
{
    public string PathFor(string host, Guid migrationId) => Path.Combine(options.Value.StateDirectory, "kept-definitions", host, $"{migrationId:N}.xml");

    public void Keep(string host, Guid migrationId, string xml)
    {
        string path = PathFor(host, migrationId), directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())   // the agent runs on Linux; the guard keeps the analyzer (and Windows builds) content
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        string temporary = path + ".new";
        using (var writer = new StreamWriter(temporary, file))
            writer.Write(xml);
        File.Move(temporary, path, overwrite: true);
    }

    public string? Find(string host, Guid migrationId)
    {
        string path = PathFor(host, migrationId);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public void Forget(string host, Guid migrationId)
    {
        string path = PathFor(host, migrationId);
        if (File.Exists(path)) File.Delete(path);   // File.Delete throws when the directory was never made
    }
}
