namespace AutoNet.Cli;

/// <summary>
/// The one process that trains on an embedded store. Its trial jobs queue in that process's memory (many machines
/// share a PostgreSQL store instead), so one process runs its trials; this exclusive lock (released by the kernel when the process dies, kill -9 included) says which. Holding it also
/// proves that any trial the store still marks Running belongs to a dead process, so a resumed search takes those
/// trials back at once instead of waiting for their heartbeat to go stale.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream stream;

    private StoreLock(FileStream stream) => this.stream = stream;

    /// <summary>The lock file beside an embedded store.</summary>
    public static string PathOf(string storePath) => Path.GetFullPath(storePath) + ".worker-lock";

    public static StoreLock Acquire(string storePath)
    {
        var path = PathOf(storePath);
        try
        {
            return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new CliException($"another autonet process is training on the store '{Path.GetFullPath(storePath)}' (it holds {path}); "
                + "a SQLite store has one training process: stop it first, or use a PostgreSQL store for several workers", e);
        }
    }

    public void Dispose() => stream.Dispose();
}
