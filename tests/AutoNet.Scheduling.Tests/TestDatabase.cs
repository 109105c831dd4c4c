namespace AutoNet.Scheduling.Tests;

/// <summary>A fresh SQLite file in a temporary folder, deleted afterwards.</summary>
internal sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "autonet-scheduling-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path_ = Path.Combine(Directory, "experiments.db");
    }

    public string Directory { get; }

    public string Path_ { get; }

    public string ConnectionString => $"Data Source={Path_};Default Timeout=60";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
