using System.Diagnostics;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Hypervisors;
using Microsoft.Extensions.Options;

namespace Drover.HostAgent.Steps;

/// <summary>
/// What a migration leaves on this host that a later step of it needs (a rollback, above all): one file per host and
/// migration under <c>Agent:StateDirectory</c>, readable by root only, written whole or not at all.
/// </summary>
public abstract class MigrationRecords(IOptions<AgentOptions> options, string folder, string extension)
{
    protected AgentOptions Options => options.Value;

    public string PathFor(string host, Guid migrationId) => Path.Combine(options.Value.StateDirectory, folder, host, $"{migrationId:N}.{extension}");

    protected void Write(string host, Guid migrationId, string text)
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
            writer.Write(text);
        File.Move(temporary, path, overwrite: true);
    }

    protected string? Read(string host, Guid migrationId)
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

/// <summary>
/// The definitions a destination's migration replaced, kept on this host until the migration ends: a rollback defines
/// them again. They are read with their secrets (VIR_DOMAIN_XML_SECURE: passwords, keys), so they never leave the host —
/// not on the bus, not in the coordinator's database.
/// </summary>
public sealed class KeptDefinitions(IOptions<AgentOptions> options) : MigrationRecords(options, "kept-definitions", "xml")
{
    public void Keep(string host, Guid migrationId, string xml) => Write(host, migrationId, xml);

    public string? Find(string host, Guid migrationId) => Read(host, migrationId);
}

/// <summary>
/// The disk images a destination created for a storage copy, so that a rollback deletes exactly those (never a file the
/// agent did not make) and a redelivered DefineDomain recognises its own. Images are created empty, in the host's local
/// storage, only where no file exists: as volumes of the storage pool over their directory where there is one (libvirt
/// makes them), with qemu-img otherwise; images that arrive streamed (an offline copy) need the pool.
/// </summary>
public sealed class CreatedDisks(IOptions<AgentOptions> options) : MigrationRecords(options, "created-disks", "txt")
{
    public IReadOnlyList<string> Of(string host, Guid migrationId) =>
        Read(host, migrationId)?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>Creates each image this migration has not created yet; refuses a path outside the local storage or one that
    /// exists already (the destination sees that disk: copying onto it would write the source's own image).</summary>
    /// <param name="streamed">The images arrive whole from the source's libvirtd (<see cref="DefineDomain.StreamDisks"/>):
    /// each is created as an empty file, a volume of its directory's pool, that the stream fills.</param>
    public void Create(string host, Guid migrationId, IReadOnlyList<DiskImage> images, bool streamed, IHypervisorConnection connection)
    {
        var created = Of(host, migrationId).ToList();
        var paths = new HostPaths(Options);
        foreach (var image in images.Where(i => !created.Contains(i.Path)))
        {
            if (!paths.Local(image.Path))
                throw paths.Storage(image.Path)
                    ? new StepRefusedException(AgentFailureCode.StorageNotShared,
                        $"Disk {image.Path} is on storage {host} shares with other hosts (Agent:SharedStorage): migrate it without storage copy")
                    : new StepRefusedException(AgentFailureCode.NotPermitted, $"Disk {image.Path} is outside {host}'s local storage (Agent:LocalStorage): not created");
            if (image.Format is not ("qcow2" or "raw") || image.CapacityBytes <= 0)
                throw new StepRefusedException(AgentFailureCode.NotPermitted, $"Disk {image.Path}: cannot create a {image.Format} image of {image.CapacityBytes} bytes");
            if (File.Exists(image.Path))
                throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                    $"Disk {image.Path} exists on {host} already: its storage is shared (migrate without storage copy) or a stale copy is in the way");
            Directory.CreateDirectory(Path.GetDirectoryName(image.Path)!);
            created.Add(image.Path);
            Write(host, migrationId, string.Join('\n', created));   // recorded before it exists: a crash leaves nothing unrecorded
            if (streamed)
            {
                if (!connection.CreateVolume(image.Path, "raw", 0))
                    throw new StepRefusedException(AgentFailureCode.StorageNotShared,
                        $"No active directory storage pool on {host} is over {Path.GetDirectoryName(image.Path)}: an offline copy streams each image " +
                        "into a storage volume; define one (virsh pool-define-as NAME dir --target DIR, pool-start, pool-autostart)");
            }
            else if (!connection.CreateVolume(image.Path, image.Format, image.CapacityBytes))
                QemuImg("create", "-q", "-f", image.Format, image.Path, image.CapacityBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Reads back the images a stream filled (an offline copy) — only images this migration created here — and
    /// compares each with the SHA-256 the source took as it sent it: a copy that differs is a failed transfer (tried again).</summary>
    public object Verify(string host, Guid migrationId, IReadOnlyList<DiskImage> images)
    {
        var mine = Of(host, migrationId);
        foreach (var image in images)
        {
            if (!mine.Contains(image.Path))
                throw new StepRefusedException(AgentFailureCode.NotPermitted, $"{image.Path} is not an image this migration created on {host}: not read");
            if (image.Sha256 is null)
                throw new StepRefusedException(AgentFailureCode.HypervisorError, $"The source sent no checksum of {image.Path}: the copy cannot be trusted");
            string here = Sha256(image.Path);
            if (here != image.Sha256)
                throw new StepRefusedException(AgentFailureCode.HypervisorError,
                    $"The copy of {image.Path} on {host} differs from what the source streamed (sha256 {here}, sent {image.Sha256}): not used");
        }
        return images.Count;
    }

    private static string Sha256(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    /// <summary>Deletes the images this migration created here (a rollback), then the record.</summary>
    public void Delete(string host, Guid migrationId, IHypervisorConnection connection)
    {
        foreach (string path in Of(host, migrationId)) DeleteImage(connection, path);
        Forget(host, migrationId);
    }

    /// <summary>Deletes an image through the storage pool that holds it (which then forgets it), or as a plain file.</summary>
    public static void DeleteImage(IHypervisorConnection connection, string path)
    {
        if (!connection.DeleteVolume(path)) File.Delete(path);
    }

    private static void QemuImg(params string[] args)
    {
        var psi = new ProcessStartInfo("qemu-img") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new StepRefusedException(AgentFailureCode.HypervisorError, $"qemu-img {args[0]} failed: {error.Trim()}");
    }
}
