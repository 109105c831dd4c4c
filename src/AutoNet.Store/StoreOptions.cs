namespace AutoNet.Store;

/// <summary>Settings of an opened store. The defaults suit a search; tests pass their own clock.</summary>
public sealed record StoreOptions
{
    public static StoreOptions Default { get; } = new();

    /// <summary>The clock for every stored time (heartbeats, staleness, created/updated). UTC, millisecond resolution.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long a write waits for another writer (SQLite busy timeout, and the total time the store keeps
    /// retrying a transaction that hit a lock or a serialization failure) before giving up.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Opens an existing store for reading only (the dashboard): nothing is created, migrated or written, and the
    /// engine itself refuses a write (SQLite opened read-only, a PostgreSQL session with read-only transactions, LiteDB's
    /// read-only mode). A missing store, or one an older AutoNet wrote that would need migrating, is an error that says so.
    /// </summary>
    public bool ReadOnly { get; init; }
}
