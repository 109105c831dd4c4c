using Jobs_ = AutoNet.Scheduling.Jobs;

namespace AutoNet.Scheduling.Tests;

/// <summary>A fresh SQLite file in a temporary folder, deleted afterwards, and an in-memory Hangfire queue beside it.</summary>
internal sealed class TestDatabase : IDisposable
{
    private Hangfire.InMemory.InMemoryStorage? jobs;

    public TestDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "autonet-scheduling-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path_ = Path.Combine(Directory, "experiments.db");
    }

    public string Directory { get; }

    public string Path_ { get; }

    public string ConnectionString => $"Data Source={Path_};Default Timeout=60";

    /// <summary>The trial job queue every worker of the test reads (an embedded store's in-memory queue).</summary>
    public Hangfire.JobStorage Jobs => jobs ??= Jobs_.TrialJobStorage.InMemory();

    public void Dispose()
    {
        jobs?.Dispose();
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
