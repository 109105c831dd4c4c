using System.Data.Common;
using Dapper;
using Npgsql;

namespace AutoNet.Store.Sql;

/// <summary>
/// The store on a PostgreSQL server (shared by many machines). Tables live in the connection's current
/// schema; migrations run under an advisory lock; a claim locks its row with FOR UPDATE SKIP LOCKED so
/// workers never wait on each other's rows.
/// </summary>
internal sealed class PostgresExperimentStore : SqlExperimentStore
{
    // Any fixed number: the advisory lock that makes two processes opening a fresh store migrate one at a time.
    private const long MigrationLock = 0x4175746F4E6574;

    private const long ClockRereadMilliseconds = 60_000;

    private readonly NpgsqlDataSource _dataSource;
    private long _clockReadAt;
    private readonly string _location;

    private PostgresExperimentStore(NpgsqlDataSource dataSource, string location, StoreOptions options)
        : base(options)
    {
        _dataSource = dataSource;
        _location = location;
    }

    public override StoreEngine Engine => StoreEngine.Postgres;

    public override string Location => _location;

    public static async Task<PostgresExperimentStore> OpenAsync(string connectionString, StoreOptions options, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"not a valid PostgreSQL connection string: {e.Message}", nameof(connectionString), e);
        }

        var location = $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}" +
            (string.IsNullOrEmpty(builder.SearchPath) ? "" : $" (schema {builder.SearchPath})");
        if (options.ReadOnly)
        {
            // The server refuses every write of such a session, whatever a caller tries.
            builder.Options = string.Join(' ', new[] { builder.Options, "-c default_transaction_read_only=on" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        }

        var store = new PostgresExperimentStore(NpgsqlDataSource.Create(builder), location, options);
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

    private Task<int> CheckAndMigrateAsync(CancellationToken cancellationToken) => Options.ReadOnly
        ? ReadAsync(async (c, ct) =>
        {
            var tables = (await c.QueryAsync<string>(new CommandDefinition(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", cancellationToken: ct)).ConfigureAwait(false)).ToList();
            long? version = tables.Contains(Schema.VersionTable)
                ? await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COALESCE(MAX(version), 0) FROM " + Schema.VersionTable, cancellationToken: ct)).ConfigureAwait(false)
                : null;
            RequireAutoNetStore(tables, version, tables.Where(t => Schema.Tables.Contains(t)));
            RequireCurrentVersion(version);
            return 0;
        }, cancellationToken)
        : WriteAsync(async (c, tx, ct) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@Lock)", new { Lock = MigrationLock }, tx, cancellationToken: ct)).ConfigureAwait(false);
            var tables = (await c.QueryAsync<string>(new CommandDefinition(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
                transaction: tx, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            long? version = null;
            if (tables.Contains(Schema.VersionTable))
            {
                version = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COALESCE(MAX(version), 0) FROM " + Schema.VersionTable, transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            }

            // A server database is shared (other applications): only our own table names make it foreign.
            RequireAutoNetStore(tables, version, tables.Where(t => Schema.Tables.Contains(t)));
            await MigrateAsync(c, tx, ct).ConfigureAwait(false);
            await LegacyJobTables.RemoveAsync(c, tx, tables, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>
    /// A session advisory lock on a connection of its own, named (application_name) after this host and process so a
    /// second coordinator can say who holds the experiment. The key joins the store's schema to the experiment id:
    /// advisory locks are per database, and two stores may share one in different schemas.
    /// </summary>
    public override async Task<IAsyncDisposable> HoldCoordinatorAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var builder = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString)
        {
            ApplicationName = CoordinatorIdentity.Current.Length > 63 ? CoordinatorIdentity.Current[..63] : CoordinatorIdentity.Current,
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var key = new { Experiment = (int)(experiment.Id % int.MaxValue) };
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(hashtext('autonet-coordinator:' || current_schema()), @Experiment)", key, cancellationToken: cancellationToken)).ConfigureAwait(false))
            {
                return new AdvisoryLease(connection);
            }

            var holder = await connection.QueryFirstOrDefaultAsync<LockHolder>(new CommandDefinition(
                """
                SELECT a.application_name AS Name, host(a.client_addr) AS Address, a.backend_start AS Since
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid::bigint = (hashtext('autonet-coordinator:' || current_schema())::bigint & 4294967295)
                  AND l.objid::bigint = @Experiment
                """, key, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new CoordinatorLockedException(experiment.Name, Describe(holder), Location);
        }
        catch (Exception e) when (e is not CoordinatorLockedException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Describe(LockHolder? holder) =>
        holder is null ? "another process (gone by the time it was asked)"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{(string.IsNullOrEmpty(holder.Name) ? "another process" : holder.Name)}{(holder.Address is null ? "" : $", connected from {holder.Address}")}{(holder.Since is { } since ? $", since {since:u}" : "")}");

    /// <summary>The session holding a coordinator lock, as pg_stat_activity shows it.</summary>
    private sealed class LockHolder
    {
        public string? Name { get; set; }
        public string? Address { get; set; }
        public DateTime? Since { get; set; }
    }

    /// <summary>Ends the lease by closing its connection: the server drops the session's advisory locks with it.</summary>
    private sealed class AdvisoryLease(NpgsqlConnection connection) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // A store given a clock of its own (tests moving time by hand) measures the offset once, at open.
        var due = Volatile.Read(ref _clockReadAt) == 0
            || (Options.Time == TimeProvider.System && Environment.TickCount64 - Volatile.Read(ref _clockReadAt) >= ClockRereadMilliseconds);
        if (due)
        {
            try
            {
                await ReadServerClockAsync(connection, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return connection;
    }

    /// <summary>
    /// Heartbeats, claims and stale-lease cutoffs must be on one clock for every machine, or a machine whose clock runs
    /// ahead takes live trials over: the store's time on PostgreSQL is the server's, measured as an offset from this
    /// process's clock (at the midpoint of the query's round trip) and measured again every minute.
    /// </summary>
    private async Task ReadServerClockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var before = UnixTime.Now(Options.Time);
        var server = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var after = UnixTime.Now(Options.Time);
        ClockOffsetMilliseconds = server - (before + ((after - before) / 2));
        Volatile.Write(ref _clockReadAt, Environment.TickCount64);
    }

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    protected override bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: "40001" or "40P01" or "55P03" };

    protected override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    protected override string ClaimSql(bool anyExperiment) => BuildClaimSql(anyExperiment, "FOR UPDATE OF t SKIP LOCKED");

    protected override string LockExperimentSql => "SELECT id FROM experiments WHERE id = @Id FOR UPDATE";

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
