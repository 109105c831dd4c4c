using Microsoft.Data.Sqlite;
using Npgsql;

namespace AutoNet.Store.Tests;

/// <summary>
/// A fresh, empty place for a store on one engine: a temp folder with a file path for SQLite, a new schema
/// of the test database for PostgreSQL. Removed on dispose. Raw SQL helpers reach behind the store.
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

    /// <summary>What <see cref="ExperimentStore.OpenAsync"/> takes: a file path or a connection string.</summary>
    public string Location { get; }

    public static async Task<StoreUnderTest> CreateAsync(StoreEngine engine)
    {
        if (engine == StoreEngine.Sqlite)
        {
            var directory = Path.Combine(Path.GetTempPath(), "autonet-store-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            return new StoreUnderTest(engine, Path.Combine(directory, ExperimentStore.DefaultFileName), directory, null, null);
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
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Location, Pooling = false }.ToString())
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
