using LiteDB;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AutoNet.Store.Tests;

/// <summary>
/// A fresh, empty place for a store on one engine: a temp folder with a file path for SQLite and LiteDB, a new schema
/// of the test database for PostgreSQL. Removed on dispose. Raw helpers reach behind the store (SQL, or LiteDB
/// documents opened as the store opens them).
/// </summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _schema;
    private readonly string? _serverConnection;

    private StoreUnderTest(StoreEngine engine, string location, string? directory, string? schema, string? serverConnection)
    {
        Engine = engine;
        Location = location;
        _directory = directory;
        _schema = schema;
        _serverConnection = serverConnection;
    }

    public StoreEngine Engine { get; }

    /// <summary>What <see cref="ExperimentStore.OpenAsync"/> takes: a file path (LiteDB's with its prefix) or a connection string.</summary>
    public string Location { get; }

    /// <summary>The store file of an embedded engine.</summary>
    public string FilePath => ExperimentStore.EmbeddedEngine(Location).Path;

    /// <summary>How many schema changes a fresh store records: five SQL migrations, one LiteDB schema document.</summary>
    public long MigrationCount => Engine == StoreEngine.LiteDb ? 1 : 5;

    public static async Task<StoreUnderTest> CreateAsync(StoreEngine engine)
    {
        if (engine != StoreEngine.Postgres)
        {
            var directory = Path.Combine(Path.GetTempPath(), "autonet-store-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, ExperimentStore.DefaultFileName);
            return new StoreUnderTest(engine, (engine == StoreEngine.LiteDb ? "litedb:" : "sqlite:") + file, directory, null, null);
        }

        var server = Environment.GetEnvironmentVariable(PostgresDataAttribute.Variable)
            ?? throw new InvalidOperationException($"{PostgresDataAttribute.Variable} is not set");
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var location = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        return new StoreUnderTest(engine, location, null, schema, server);
    }

    public Task<IExperimentStore> OpenAsync(TimeProvider? time = null) =>
        ExperimentStore.OpenAsync(Location, time is null ? null : new StoreOptions { Time = time });

    /// <summary>The schema version the store records.</summary>
    public async Task<long> SchemaVersionAsync() => Engine == StoreEngine.LiteDb
        ? WithLite(db => db.GetCollection("autonet_schema").FindById("schema")["version"].AsInt64)
        : await ScalarAsync("SELECT MAX(version) FROM autonet_schema_version");

    /// <summary>How many schema changes the store records (each applied once).</summary>
    public async Task<long> MigrationsAppliedAsync() => Engine == StoreEngine.LiteDb
        ? WithLite(db => (long)db.GetCollection("autonet_schema").Count())
        : await ScalarAsync("SELECT COUNT(*) FROM autonet_schema_version");

    /// <summary>Makes the store look written by a newer AutoNet.</summary>
    public async Task StampVersionAsync(long version)
    {
        if (Engine == StoreEngine.LiteDb)
        {
            WithLite(db => db.GetCollection("autonet_schema").Update(new BsonDocument { ["_id"] = "schema", ["version"] = version }));
            return;
        }

        await ExecuteAsync($"INSERT INTO autonet_schema_version (version, description, applied_at) VALUES ({version}, 'future', 0)");
    }

    /// <summary>Another application's data under one of our names: a trials table (collection) with one row, id 7.</summary>
    public async Task AddForeignTrialsAsync()
    {
        if (Engine == StoreEngine.LiteDb)
        {
            WithLite(db => db.GetCollection("trials").Insert(new BsonDocument { ["_id"] = 7L, ["note"] = "theirs" }));
            return;
        }

        await ExecuteAsync("CREATE TABLE trials (id INTEGER, note TEXT)");
        await ExecuteAsync("INSERT INTO trials VALUES (7, 'theirs')");
    }

    /// <summary>The foreign trials' id, and whether AutoNet's schema mark was left out (it must be).</summary>
    public async Task<(long Id, bool Marked)> ForeignTrialsAsync() => Engine switch
    {
        StoreEngine.LiteDb => WithLite(db => (db.GetCollection("trials").FindAll().Single()["_id"].AsInt64, db.CollectionExists("autonet_schema"))),
        StoreEngine.Sqlite => (await ScalarAsync("SELECT id FROM trials"),
            await ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'autonet_schema_version'") > 0),
        _ => (await ScalarAsync("SELECT id FROM trials"), await ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'autonet_schema_version'") > 0),
    };

    /// <summary>What the engine's own check finds wrong with the file: SQLite's integrity_check; for LiteDB, every index must
    /// reach as many documents as a scan of its collection.</summary>
    public async Task<IReadOnlyList<string>> IntegrityProblemsAsync()
    {
        if (Engine == StoreEngine.Sqlite)
        {
            await using var connection = await OpenRawAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            var problems = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                problems.Add(reader.GetString(0));
            }

            return problems.SequenceEqual(["ok"]) ? [] : problems;
        }

        return WithLite<IReadOnlyList<string>>(db =>
        {
            var problems = new List<string>();
            foreach (var index in db.GetCollection("$indexes").FindAll().ToList())
            {
                var collection = db.GetCollection(index["collection"].AsString);
                var scanned = collection.FindAll().Count();
                var indexed = collection.Find(Query.All(index["name"].AsString)).Count();
                if (scanned != indexed)
                {
                    problems.Add($"{index["collection"].AsString}.{index["name"].AsString} reaches {indexed} of {scanned} documents");
                }
            }

            return problems;
        });
    }

    private T WithLite<T>(Func<LiteDatabase, T> body) => AutoNet.Store.Lite.LiteFile.WithFile(FilePath, body);

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<System.Data.Common.DbConnection> OpenRawAsync()
    {
        System.Data.Common.DbConnection connection = Engine == StoreEngine.Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString())
            : new NpgsqlConnection(Location);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
        else
        {
            await using var connection = new NpgsqlConnection(_serverConnection);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
