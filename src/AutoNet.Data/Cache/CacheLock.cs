namespace AutoNet.Data.Cache;

/// <summary>
/// An exclusive lock between processes (and threads) over a lock file: .NET takes an advisory <c>flock</c> on a file
/// opened with <see cref="FileShare.None"/> on Unix, and the kernel drops it when the holder exits, even by a crash.
/// </summary>
internal sealed class CacheLock : IDisposable
{
    private readonly FileStream stream;

    private CacheLock(FileStream stream) => this.stream = stream;

    /// <summary>Waits (polling) until the lock is free, or the token is cancelled.</summary>
    public static CacheLock Acquire(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new CacheLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Held by another builder of the same cache.
            }

            cancellationToken.WaitHandle.WaitOne(100);
        }
    }

    public void Dispose() => stream.Dispose();
}
