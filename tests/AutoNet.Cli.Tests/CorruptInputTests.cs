using System.Text.Json.Nodes;

namespace AutoNet.Cli.Tests;

/// <summary>
/// The catalogue of corrupted inputs: the store, a trial checkpoint, a model package (description and weights), a
/// safetensors file, a genotype, a search space and a CSV manifest, each truncated, overwritten with random bytes or
/// holding a value of the wrong type, run through the commands that read it. Each must exit 1 with one message that
/// names the file, and never print a stack trace or call itself a bug. Every case works on fresh copies.
/// </summary>
[Collection(TinySearchCollection.Name)]
public sealed class CorruptInputTests(TinySearchFixture search) : IDisposable
{
    private static readonly Lock Exporting = new();

    private readonly string root = Directory.CreateTempSubdirectory("autonet-corrupt-").FullName;

    private static readonly Dictionary<string, Func<CorruptInputs, (string File, string[] Arguments)>> Catalogue = new()
    {
        ["store truncated: leaderboard"] = c => (Store(c, () => CorruptInputs.Truncate(c.Store, 8192)), ["leaderboard", "--workspace", c.Workspace]),
        ["store truncated: show best"] = c => (Store(c, () => CorruptInputs.Truncate(c.Store, 8192)), ["show", "best", "--workspace", c.Workspace]),
        ["store truncated: search --resume"] = c => (Store(c, () => CorruptInputs.Truncate(c.Store, 8192)),
            ["search", "--resume", TinySearchFixture.Experiment, "--workspace", c.Workspace, "--device", "cpu"]),
        ["store random bytes: experiments"] = c => (Store(c, () => CorruptInputs.Randomize(c.Store, 20_000)), ["experiments", "--workspace", c.Workspace]),
        ["store random bytes: export best"] = c => (Store(c, () => CorruptInputs.Randomize(c.Store, 20_000)),
            ["export", "best", "--out", Path.Join(c.Root, "out"), "--workspace", c.Workspace]),
        ["store text in a number column: leaderboard"] = c => (Store(c, () => c.Sql("UPDATE trials SET epochs_done = 'many'")), ["leaderboard", "--workspace", c.Workspace]),
        ["store hyperparameter of the wrong type: export"] = c => (Store(c, () => c.Sql("""UPDATE trials SET hyperparameters_json = '{"hp/learning_rate": "fast"}'""")),
            ["export", "2", "--out", Path.Join(c.Root, "out"), "--workspace", c.Workspace]),
        ["store hyperparameters not an object: evaluate"] = c => (Store(c, () => c.Sql("UPDATE trials SET hyperparameters_json = '[1, 2]'")),
            ["evaluate", "2", "--workspace", c.Workspace]),
        ["store genotype of the wrong type: show"] = c => (Store(c, () => c.Sql("""UPDATE trials SET genotype_json = '{"normal": 5, "reduction": 1}'""")),
            ["show", "2", "--experiment", TinySearchFixture.Experiment, "--workspace", c.Workspace]),
        ["store test metrics truncated: show"] = c => (Store(c, () => c.Sql("""UPDATE trials SET test_metrics_json = '{"accur'""")),
            ["show", "2", "--experiment", TinySearchFixture.Experiment, "--workspace", c.Workspace]),
        ["store search space of the wrong type: evaluate"] = c => (Store(c, () => c.Sql("""UPDATE experiments SET search_space_json = '{"name": 5}'""")),
            ["evaluate", "2", "--workspace", c.Workspace]),
        ["store split of the wrong type: export"] = c => (Store(c, () => c.Sql("UPDATE experiments SET split_json = '[]'")),
            ["export", "2", "--out", Path.Join(c.Root, "out"), "--workspace", c.Workspace]),

        ["checkpoint weights truncated: export"] = c => (Checkpoint(c, "model.safetensors", f => CorruptInputs.Truncate(f, 100)),
            ["export", "2", "--out", Path.Join(c.Root, "out"), "--workspace", c.Workspace]),
        ["checkpoint weights random bytes: evaluate"] = c => (Checkpoint(c, "model.safetensors", f => CorruptInputs.Randomize(f, 4000)),
            ["evaluate", "2", "--workspace", c.Workspace]),
        ["checkpoint weights of the wrong type: export"] = c => (Checkpoint(c, "model.safetensors", CorruptInputs.WrongTypeSafetensors),
            ["export", "2", "--out", Path.Join(c.Root, "out"), "--workspace", c.Workspace]),
        ["checkpoint description of the wrong type: export"] = c => (Checkpoint(c, "checkpoint.json", f => CorruptInputs.EditJson(f, j => j["Epoch"] = "two")),
            ["export", "2", "--out", Path.Join(c.Root, "out"), "--workspace", c.Workspace]),
        ["checkpoint description truncated: evaluate"] = c => (Checkpoint(c, "checkpoint.json", f => CorruptInputs.Truncate(f, 10)),
            ["evaluate", "2", "--workspace", c.Workspace]),

        ["package description truncated: predict"] = c => (Package(c, "model.json", f => CorruptInputs.Truncate(f, 200)), ["predict", c.Package, c.Image]),
        ["package description random bytes: evaluate"] = c => (Package(c, "model.json", f => CorruptInputs.Randomize(f, 300)),
            ["evaluate", c.Package, "--data", c.Search.Data, "--workspace", Path.Join(c.Root, "evaluate")]),
        ["package description of the wrong type: predict"] = c => (Package(c, "model.json", f => CorruptInputs.EditJson(f, j => j["class_names"] = 5)),
            ["predict", c.Package, c.Image]),
        ["package genotype of the wrong type: predict"] = c => (Package(c, "model.json", f => CorruptInputs.EditJson(f, j =>
            j["architecture"] = new JsonObject { ["kind"] = "cell_network", ["genotype"] = new JsonObject { ["normal"] = 5, ["reduction"] = new JsonArray(1) } })),
            ["predict", c.Package, c.Image]),
        ["package weights truncated: predict"] = c => (Package(c, "weights.safetensors", f => CorruptInputs.Truncate(f, 300)), ["predict", c.Package, c.Image]),
        ["package weights random bytes: evaluate"] = c => (Package(c, "weights.safetensors", f => CorruptInputs.Randomize(f, 3000)),
            ["evaluate", c.Package, "--data", c.Search.Data, "--workspace", Path.Join(c.Root, "evaluate")]),
        ["package weights of the wrong type: predict"] = c => (Package(c, "weights.safetensors", CorruptInputs.WrongTypeSafetensors), ["predict", c.Package, c.Image]),

        ["search space truncated: search"] = c => Space(c, f => CorruptInputs.Truncate(f, 150)),
        ["search space random bytes: search"] = c => Space(c, f => CorruptInputs.Randomize(f, 400)),
        ["search space of the wrong type: search"] = c => Space(c, f => CorruptInputs.EditJson(f, j => j["hyperparameters"] = 5)),

        ["manifest truncated: data inspect"] = c => Manifest(c, f => CorruptInputs.Truncate(f, 70), f => ["data", "inspect", f, "--workspace", Path.Join(c.Root, "inspect")]),
        ["manifest random bytes: predict"] = c => Manifest(c, f => CorruptInputs.Randomize(f, 500), f => ["predict", c.Package, f]),
        ["manifest with a field of the wrong shape: search"] = c => Manifest(c, f => File.AppendAllText(f, "\"unterminated,class1\n"),
            f => ["search", "--data", f, "--workspace", Path.Join(c.Root, "search"), "--max-trials", "1", "--device", "cpu"]),
    };

    public static TheoryData<string> Cases => [.. Catalogue.Keys];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_corrupted_input_gets_one_message_naming_the_file_and_no_stack_trace(string name)
    {
        var inputs = new CorruptInputs(search, root, ExportedPackage());
        inputs.CopyAll();
        var (file, arguments) = Catalogue[name](inputs);

        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [TinySearchFixture.CliDll, .. arguments], 300);

        var transcript = $"autonet {string.Join(' ', arguments)}\nexit {exitCode}\nstderr:\n{stderr}\nstdout:\n{stdout}";
        Assert.True(exitCode == CliErrors.Failure, transcript);
        Assert.True(stderr.Contains(file, StringComparison.Ordinal), $"the message does not name {file}\n{transcript}");
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("this is a bug", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n'), line => line.StartsWith("error:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_search_refused_for_its_space_leaves_no_store_or_workspace_behind()
    {
        var inputs = new CorruptInputs(search, root, ExportedPackage());
        inputs.CopyAll();
        var (file, arguments) = Space(inputs, f => CorruptInputs.Truncate(f, 150));

        var (exitCode, _, stderr) = ProcessRunner.Run("dotnet", [TinySearchFixture.CliDll, .. arguments], 300);

        Assert.True(exitCode == CliErrors.Failure, stderr);
        Assert.Contains(file, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(root, "search")), "the refused search created its workspace (an empty store)");
    }

    private static string Store(CorruptInputs c, Action corrupt)
    {
        corrupt();
        return c.Store;
    }

    private static string Checkpoint(CorruptInputs c, string name, Action<string> corrupt)
    {
        var file = c.Checkpoint(name);
        corrupt(file);
        return file;
    }

    private static string Package(CorruptInputs c, string name, Action<string> corrupt)
    {
        var file = Path.Join(c.Package, name);
        corrupt(file);
        return file;
    }

    private static (string, string[]) Space(CorruptInputs c, Action<string> corrupt)
    {
        var file = c.Space();
        corrupt(file);
        return (file, ["search", "--data", c.Search.Data, "--space", file, "--workspace", Path.Join(c.Root, "search"), "--max-trials", "1", "--device", "cpu"]);
    }

    private static (string, string[]) Manifest(CorruptInputs c, Action<string> corrupt, Func<string, string[]> command)
    {
        var file = c.Manifest();
        corrupt(file);
        return (file, command(file));
    }

    /// <summary>
    /// The best trial exported once per search (from a copy of its store, so the shared search records no artifact),
    /// for the package cases; it lives in the search's folder and goes with it.
    /// </summary>
    private string ExportedPackage()
    {
        var folder = Path.Join(search.Root, "corrupt-inputs");
        var package = Path.Join(folder, "package");
        lock (Exporting)
        {
            if (Directory.Exists(package))
            {
                return package;
            }

            Directory.CreateDirectory(folder);
            var store = Path.Join(folder, "autonet.db");
            File.Copy(search.StorePath, store, overwrite: true);
            var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet",
                [TinySearchFixture.CliDll, "export", "best", "--out", package, "--store", store, "--workspace", search.Workspace], 300);
            Assert.True(exitCode == 0, stderr + stdout);
            return package;
        }
    }
}
