using System.Globalization;

namespace AutoNet.Store;

/// <summary>
/// Coordinator leases of the embedded engines (SQLite, LiteDB), per store file and experiment. Only this process
/// needs to be asked: an embedded store has one training process, which the command line holds with a lock file
/// beside the store, so a coordinator in another process is refused before it gets here.
/// </summary>
internal static class EmbeddedCoordinatorLeases
{
    private static readonly Dictionary<(string Store, long Experiment), string> Held = [];

    public static IAsyncDisposable Acquire(string storePath, Experiment experiment, string location)
    {
        var key = (Path.GetFullPath(storePath), experiment.Id);
        lock (Held)
        {
            if (Held.TryGetValue(key, out var holder))
            {
                throw new CoordinatorLockedException(experiment.Name, holder, location);
            }

            Held[key] = string.Create(CultureInfo.InvariantCulture, $"{CoordinatorIdentity.Current} since {DateTimeOffset.UtcNow:u}");
        }

        return new Lease(key);
    }

    private sealed class Lease((string Store, long Experiment) key) : IAsyncDisposable
    {
        private int released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                lock (Held)
                {
                    Held.Remove(key);
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
