using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AutoNet.Store.Sql;

/// <summary>
/// The store in one SQLite file: WAL (readers never wait for the writer), a busy timeout, foreign keys on,
/// and every write in a BEGIN IMMEDIATE transaction so writers queue for the lock instead of deadlocking
/// on an upgrade ("database is locked"); whatever still comes back busy is retried with backoff.
/// </summary>
internal sealed class SqliteExperimentStore : SqlExperimentStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private const int SqliteConstraintUnique = 2067;

    private readonly string _connectionString;
    private readonly string _path;

    private SqliteExperimentStore(string path, StoreOptions options)
        : base(options)
    {
        _path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, (int)options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    public override StoreEngine Engine => StoreEngine.Sqlite;

    public override string Location => $"'{_path}'";

    public override Task<IAsyncDisposable> HoldCoordinatorAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Task.FromResult(EmbeddedCoordinatorLeases.Acquire(_path, experiment, Location));
    }

    public static async Task<SqliteExperimentStore> OpenAsync(string path, StoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new StoreFormatException($"'{full}' is a directory, not an AutoNet store file");
        }

        if (options.ReadOnly)
        {
            if (!File.Exists(full) || new FileInfo(full).Length == 0)
            {
                throw new StoreFormatException($"there is no experiment store at '{full}' to read");
            }
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }

        var store = new SqliteExperimentStore(full, options);
        try
        {
            await store.CheckAndMigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CheckAndMigrateAsync(CancellationToken cancellationToken)
    {
        // Look before writing anything: a foreign file must come out exactly as it went in.
        await ReadAsync<int>(async (c, ct) =>
        {
            List<string> tables;
            try
            {
                tables = (await c.QueryAsync<string>(new CommandDefinition(
                    "SELECT name FROM sqlite_master WHERE type = 'table'", cancellationToken: ct)).ConfigureAwait(false)).ToList();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteNotADatabase)
            {
                throw new StoreFormatException($"{Location} is not an AutoNet store: it is not an SQLite database", e);
            }

            long? version = null;
            if (tables.Contains(Schema.VersionTable))
            {
                version = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COALESCE(MAX(version), 0) FROM " + Schema.VersionTable, cancellationToken: ct)).ConfigureAwait(false);
            }

            // Earlier versions kept Quartz's job store in the same file: those tables are ours to remove, not foreign.
            RequireAutoNetStore(tables, version, tables.Where(t =>
                !t.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase) && !LegacyJobTables.IsLegacy(t)));
            if (Options.ReadOnly)
            {
                RequireCurrentVersion(version);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
        if (Options.ReadOnly)
        {
            return;
        }

        // WAL is a property of the file; it cannot be set inside a transaction.
        await ReadAsync(async (c, ct) => await c.ExecuteScalarAsync<string>(
            new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: ct)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await WriteAsync(async (c, tx, ct) =>
        {
            await MigrateAsync(c, tx, ct).ConfigureAwait(false);
            var tables = await c.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM sqlite_master WHERE type = 'table'", transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            await LegacyJobTables.RemoveAsync(c, tx, tables, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {(long)Options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    protected override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    protected override bool IsDamaged(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADatabase };

    protected override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique };

    protected override string ClaimSql(bool anyExperiment) => BuildClaimSql(anyExperiment, "");

    protected override string LockExperimentSql => "SELECT id FROM experiments WHERE id = @Id";

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file (and its -wal/-shm) open; let go so the caller can move or delete it.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
