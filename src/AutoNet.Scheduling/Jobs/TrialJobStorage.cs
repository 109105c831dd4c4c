using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;

namespace AutoNet.Scheduling.Jobs;

/// <summary>
/// Where trial jobs wait: Hangfire's storage. The experiment store stays the truth of every trial; the queue only
/// says which run to start next, and a resumed search dispatches again whatever its store says is unfinished.
/// </summary>
public static class TrialJobStorage
{
    /// <summary>Hangfire's tables on PostgreSQL live in this schema, apart from the store's.</summary>
    public const string PostgresSchema = "autonet_jobs";

    /// <summary>
    /// The queue of an embedded store: in the memory of the one process that trains on it (an embedded store has one,
    /// see the search's store lock). A killed process takes its queue with it; the store keeps every trial's state.
    /// </summary>
    public static InMemoryStorage InMemory() => new(new InMemoryStorageOptions
    {
        IdType = InMemoryStorageIdType.Long,
        // Finished jobs are kept an hour for the jobs dashboard; the store keeps the trials for good.
        MaxExpirationTime = TimeSpan.FromHours(1),
    });

    /// <summary>
    /// The queue shared by every machine of a PostgreSQL store. Sliding invisibility keeps a running trial invisible
    /// for as long as its worker lives, however long it trains (a fixed timeout would hand a long trial to a second
    /// worker, Hangfire.PostgreSql #352); once the worker dies the job is visible again after
    /// <paramref name="invisibilityTimeout"/> and another worker resumes the trial from its checkpoint. A worker killed
    /// while it held one of Hangfire's locks (a state change, milliseconds) leaves the lock row behind, and nobody
    /// changes that job's state until the row is <paramref name="lockTimeout"/> old: 30 s, not the package's
    /// 10 minutes. Those rows age by each client's clock (Hangfire.PostgreSql #329), so a machine whose clock runs
    /// more than that ahead could take a live lock; trials stay safe (their leases are on the server's clock and
    /// every run checks it owns its trial), a job's state might change twice.
    /// </summary>
    /// <param name="readOnly">For a reader (the dashboard's jobs page): the schema is not created or upgraded.</param>
    public static JobStorage Postgres(string connectionString, TimeSpan? invisibilityTimeout = null, TimeSpan? pollInterval = null, TimeSpan? lockTimeout = null,
        bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = PostgresSchema,
            PrepareSchemaIfNecessary = !readOnly,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = invisibilityTimeout ?? TimeSpan.FromSeconds(30),
            QueuePollInterval = pollInterval ?? TimeSpan.FromSeconds(1),
            DistributedLockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30),
            // A trial enqueued by another machine wakes idle workers at once (LISTEN/NOTIFY) instead of at the next poll.
            EnableLongPolling = true,
        };
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
    }
}
