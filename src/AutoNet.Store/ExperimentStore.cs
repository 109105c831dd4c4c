using AutoNet.Store.Lite;
using AutoNet.Store.Sql;
using Npgsql;

namespace AutoNet.Store;

/// <summary>
/// Opens an experiment store, creating or migrating its schema as needed:
/// <c>await using var store = await ExperimentStore.OpenAsync("work/autonet.db");</c> or with a PostgreSQL
/// connection string (<c>Host=db;Database=autonet;Username=...</c> or <c>postgres://user:pass@host:5432/db</c>).
/// A file path opens an existing store with the engine that wrote it (SQLite or LiteDB, told by its first bytes) and
/// creates a new one with <see cref="DefaultEmbeddedEngine"/>; <c>sqlite:PATH</c> or <c>litedb:PATH</c> names the engine.
/// </summary>
public static class ExperimentStore
{
    /// <summary>The store file's name inside a workspace.</summary>
    public const string DefaultFileName = "autonet.db";

    /// <summary>
    /// The engine of a new embedded store: SQLite. LiteDB 5.0.21 is selectable (<c>litedb:PATH</c>) and passes the same
    /// contract and kill tests, but its shared mode serializes readers with the writer (see the README's "Store").
    /// </summary>
    public const StoreEngine DefaultEmbeddedEngine = StoreEngine.Sqlite;

    private const string SqlitePrefix = "sqlite:";
    private const string LiteDbPrefix = "litedb:";

    /// <summary>Opens a PostgreSQL store when <paramref name="location"/> is a connection string or URI, else the SQLite file at that path.</summary>
    public static async Task<IExperimentStore> OpenAsync(string location, StoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (IsPostgres(location))
        {
            return await OpenPostgresAsync(location, options, cancellationToken).ConfigureAwait(false);
        }

        var (engine, path) = EmbeddedEngine(location);
        return engine == StoreEngine.LiteDb
            ? await OpenLiteDbAsync(path, options, cancellationToken).ConfigureAwait(false)
            : await OpenSqliteAsync(path, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The embedded engine and file a location names: its prefix (<c>sqlite:</c>, <c>litedb:</c>), else the engine
    /// that wrote the file, else (absent, empty) <see cref="DefaultEmbeddedEngine"/>. A file neither wrote goes to
    /// SQLite, which refuses it untouched.
    /// </summary>
    public static (StoreEngine Engine, string Path) EmbeddedEngine(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (location.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return (StoreEngine.Sqlite, location[SqlitePrefix.Length..]);
        }

        if (location.StartsWith(LiteDbPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return (StoreEngine.LiteDb, location[LiteDbPrefix.Length..]);
        }

        if (StoreFile.Detect(location) is { } written)
        {
            return (written, location);
        }

        var empty = !File.Exists(location) || new FileInfo(location).Length == 0;
        return (empty ? DefaultEmbeddedEngine : StoreEngine.Sqlite, location);
    }

    /// <summary>LiteDB's log file beside a store file (<c>autonet.db</c> → <c>autonet-log.db</c>).</summary>
    public static string LiteDbLogPath(string path) => LiteFile.LogPathOf(path);

    /// <summary>Opens (creating if absent) the LiteDB store file at <paramref name="path"/>, in shared mode.</summary>
    public static async Task<IExperimentStore> OpenLiteDbAsync(string path, StoreOptions? options = null, CancellationToken cancellationToken = default) =>
        await LiteExperimentStore.OpenAsync(path, options ?? StoreOptions.Default, cancellationToken).ConfigureAwait(false);

    /// <summary>Opens (creating if absent) the SQLite store file at <paramref name="path"/>.</summary>
    public static async Task<IExperimentStore> OpenSqliteAsync(string path, StoreOptions? options = null, CancellationToken cancellationToken = default) =>
        await SqliteExperimentStore.OpenAsync(path, options ?? StoreOptions.Default, cancellationToken).ConfigureAwait(false);

    /// <summary>Opens the store in an existing PostgreSQL database (keyword connection string or postgres:// URI).</summary>
    public static async Task<IExperimentStore> OpenPostgresAsync(
        string connectionString, StoreOptions? options = null, CancellationToken cancellationToken = default) =>
        await PostgresExperimentStore.OpenAsync(ToKeywords(connectionString), options ?? StoreOptions.Default, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>True for a postgres:// or postgresql:// URI, or a keyword connection string naming a Host.</summary>
    public static bool IsPostgres(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || (location.Contains('=', StringComparison.Ordinal)
                && location.Split(';').Any(p => p.Split('=')[0].Trim().Equals("host", StringComparison.OrdinalIgnoreCase)
                    || p.Split('=')[0].Trim().Equals("server", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The keyword form (<c>Host=...;Database=...</c>) of a PostgreSQL URI; a keyword connection string comes back unchanged.</summary>
    public static string ToKeywords(string connectionString)
    {
        if (!connectionString.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || !connectionString.Contains("://", StringComparison.Ordinal))
        {
            return connectionString;
        }

        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"not a valid PostgreSQL URI: '{connectionString}'", nameof(connectionString));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        return builder.ConnectionString;
    }
}
