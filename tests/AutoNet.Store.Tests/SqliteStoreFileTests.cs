using Microsoft.Data.Sqlite;

namespace AutoNet.Store.Tests;

/// <summary>What only the file engine has: files that are not stores, and the file's own settings.</summary>
public sealed class SqliteStoreFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autonet-store-" + Guid.NewGuid().ToString("N"));

    public SqliteStoreFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_naming_it_and_left_unchanged()
    {
        var path = Path.Combine(_directory, "notes.txt");
        var content = string.Concat(Enumerable.Repeat("these are my notes, not a database\n", 200));
        await File.WriteAllTextAsync(path, content);

        var error = await Assert.ThrowsAsync<StoreFormatException>(() => ExperimentStore.OpenAsync(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not an SQLite database", error.Message);
        Assert.Equal(content, await File.ReadAllTextAsync(path));
        Assert.Equal(["notes.txt"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Another_applications_SQLite_database_is_refused_naming_it_and_left_unchanged()
    {
        var path = Path.Combine(_directory, "photos.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('cat.jpg')";
            await command.ExecuteNonQueryAsync();
        }

        var before = await File.ReadAllBytesAsync(path);
        var error = await Assert.ThrowsAsync<StoreFormatException>(() => ExperimentStore.OpenAsync(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("photos", error.Message);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_new_store_file_uses_WAL_and_its_folder_is_created()
    {
        var path = Path.Combine(_directory, "workspace", "nested", ExperimentStore.DefaultFileName);
        await using (var store = await ExperimentStore.OpenAsync(path))
        {
            Assert.Equal(StoreEngine.Sqlite, store.Engine);
            Assert.Contains(path, store.Location);
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Connection_strings_and_URIs_select_PostgreSQL_and_paths_select_SQLite()
    {
        Assert.True(ExperimentStore.IsPostgres("Host=db;Database=autonet;Username=me"));
        Assert.True(ExperimentStore.IsPostgres("postgres://me:secret@db:5432/autonet"));
        Assert.True(ExperimentStore.IsPostgres("postgresql://db/autonet"));
        Assert.False(ExperimentStore.IsPostgres("work/autonet.db"));
        Assert.False(ExperimentStore.IsPostgres("/data/x=1/autonet.db"));
    }
}
