using Microsoft.Data.Sqlite;

namespace AutoNet.Cli.Tests;

/// <summary>
/// Every path a command writes passes the workspace guard before the first byte: a refused command exits non-zero,
/// names the path, and leaves the data folder (and the store's folder) byte-for-byte as they were. The experiments
/// come from a copy of the tiny search's store whose data folder is a copy of its images, so a command that wrongly
/// writes never touches the shared fixture.
/// </summary>
[Collection(TinySearchCollection.Name)]
public sealed class DataFolderGuardTests(TinySearchFixture search) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("autonet-guard-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Search_refuses_a_workspace_inside_the_data_folder_before_creating_its_store_or_lock()
    {
        var data = CopyOfData();
        var before = FolderSnapshot.Of(data);
        var workspace = Path.Join(data, ".autonet");

        var (exitCode, _, stderr) = Cli(120, "search", "--data", data, "--workspace", workspace, "--max-trials", "1", "--max-epochs", "1", "--device", "cpu");

        Refused(exitCode, stderr, workspace);
        FolderSnapshot.AssertUnchanged(data, before);
    }

    [Fact]
    public void Search_refuses_a_store_file_inside_the_data_folder()
    {
        var data = CopyOfData();
        var before = FolderSnapshot.Of(data);
        var store = Path.Join(data, "autonet.db");

        var (exitCode, _, stderr) = Cli(300, "search", "--data", data, "--store", store, "--workspace", Path.Join(root, "workspace"),
            "--space", "macro-cnn-tiny", "--max-trials", "1", "--max-epochs", "1", "--device", "cpu");

        Refused(exitCode, stderr, store);
        FolderSnapshot.AssertUnchanged(data, before);
    }

    [Fact]
    public async Task A_resumed_search_takes_its_data_folder_from_the_store_and_refuses_a_workspace_inside_it_before_locking_the_store()
    {
        var (store, data) = await RelocatedStoreAsync();
        var storeFolder = Path.GetDirectoryName(store)!;
        var (dataBefore, storeBefore) = (FolderSnapshot.Of(data), FolderSnapshot.Of(storeFolder));
        var workspace = Path.Join(data, "work");

        var (exitCode, _, stderr) = Cli(120, "search", "--resume", TinySearchFixture.Experiment, "--store", store, "--workspace", workspace, "--device", "cpu");

        Refused(exitCode, stderr, workspace);
        FolderSnapshot.AssertUnchanged(data, dataBefore);
        FolderSnapshot.AssertUnchanged(storeFolder, storeBefore);
    }

    [Fact]
    public void A_resumed_search_does_not_create_a_store_to_look_for_its_experiment()
    {
        var data = CopyOfData();
        var before = FolderSnapshot.Of(data);
        var workspace = Path.Join(data, "work");

        var (exitCode, _, stderr) = Cli(120, "search", "--resume", TinySearchFixture.Experiment, "--workspace", workspace, "--device", "cpu");

        Refused(exitCode, stderr, Path.Join(workspace, "autonet.db"));
        FolderSnapshot.AssertUnchanged(data, before);
    }

    [Fact]
    public async Task Export_refuses_an_out_folder_inside_the_experiments_data_folder()
    {
        var (store, data) = await RelocatedStoreAsync();
        var before = FolderSnapshot.Of(data);
        var output = Path.Join(data, "model");

        var (exitCode, _, stderr) = Cli(300, "export", "best", "--out", output, "--store", store, "--workspace", search.Workspace);

        Refused(exitCode, stderr, output);
        FolderSnapshot.AssertUnchanged(data, before);
    }

    [Fact]
    public async Task A_worker_refuses_an_embedded_store_before_it_touches_anything()
    {
        var (store, data) = await RelocatedStoreAsync();
        var storeFolder = Path.GetDirectoryName(store)!;
        var (dataBefore, storeBefore) = (FolderSnapshot.Of(data), FolderSnapshot.Of(storeFolder));
        var workspace = Path.Join(data, "work");

        // An embedded store's trial jobs queue in its search's memory: a worker process has nothing to join.
        var (exitCode, _, stderr) = Cli(60, "worker", "--store", store, "--workspace", workspace, "--device", "cpu");

        Refused(exitCode, stderr, store);
        Assert.Contains("PostgreSQL", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace), "the refused worker created its workspace");
        FolderSnapshot.AssertUnchanged(data, dataBefore);
        FolderSnapshot.AssertUnchanged(storeFolder, storeBefore);
    }

    private static void Refused(int exitCode, string stderr, string path)
    {
        Assert.True(exitCode == CliErrors.Failure, $"exit {exitCode}: {stderr}");
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    private (int ExitCode, string Stdout, string Stderr) Cli(int timeoutSeconds, params string[] arguments) =>
        ProcessRunner.Run("dotnet", [TinySearchFixture.CliDll, .. arguments], timeoutSeconds);

    private string CopyOfData()
    {
        var data = Path.Join(root, "data");
        FolderSnapshot.Copy(search.Data, data);
        return data;
    }

    /// <summary>A copy of the search's store whose experiment reads a copy of the search's images.</summary>
    private async Task<(string Store, string Data)> RelocatedStoreAsync()
    {
        var data = CopyOfData();
        var store = Path.Join(root, "store", "autonet.db");
        Directory.CreateDirectory(Path.GetDirectoryName(store)!);
        File.Copy(search.StorePath, store);
        await using var connection = new SqliteConnection($"Data Source={store};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE experiments SET data_source = $data";
        command.Parameters.AddWithValue("$data", data);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return (store, data);
    }
}
