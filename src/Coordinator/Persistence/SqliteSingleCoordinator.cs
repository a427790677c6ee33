using Microsoft.Data.Sqlite;

namespace Drover.Coordinator.Persistence;

/// <summary>
/// SQLite serves one coordinator: admission, deadlines and fleet jobs are decided inside one process. The first coordinator
/// holds an exclusive lock on a file beside the database for as long as it runs (the kernel lets go when the process ends,
/// also on kill -9); a second one on the same file refuses to start and says to use PostgreSQL.
/// </summary>
public sealed class SqliteSingleCoordinator : IDisposable
{
    private readonly FileStream _lock;

    private SqliteSingleCoordinator(FileStream held) => _lock = held;

    /// <summary>Claims the database of <paramref name="connectionString"/>, or throws <see cref="InvalidOperationException"/>.</summary>
    public static SqliteSingleCoordinator? Claim(string connectionString)
    {
        string file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:") return null;
        string path = Path.GetFullPath(file) + ".coordinator-lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new SqliteSingleCoordinator(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not (DirectoryNotFoundException or PathTooLongException or DriveNotFoundException))
        {
            throw new InvalidOperationException(
                $"Another coordinator already uses the SQLite database {Path.GetFullPath(file)} (it holds {path}). SQLite serves one " +
                "coordinator; to run several, give them one PostgreSQL database (Database__Provider=Postgres, Database__ConnectionString=...).");
        }
    }

    public void Dispose() => _lock.Dispose();
}
