using System.Text.Json;
using AutoNet.Store;
using Xunit.Abstractions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// What a search hands over, as a user meets it: a small search always leaves a `best` that export accepts, a search
/// whose every trial was stopped early names its best checkpointed trial and says so, and one seed gives one search.
/// </summary>
public sealed class SearchOutcomeTests(FashionMnistFolder data, ITestOutputHelper output) : IClassFixture<FashionMnistFolder>, IDisposable
{
    private readonly List<string> folders = [];

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Two_trials_under_ASHA_end_with_a_completed_trial_that_export_best_accepts()
    {
        var workspace = Folder("autonet-outcome-ws-");
        // Two trials, η = 3: the first rung's quota is ⌊2/3⌋ = 0, which used to prune both after one epoch.
        var search = Cli(workspace, 600, "search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--strategy", "random", "--scheduler", "asha",
            "--max-trials", "2", "--experiment", "two", "--seed", "1", "--json");
        output.WriteLine(search.Stderr);
        Assert.True(search.ExitCode == 0, search.Stderr + search.Stdout);
        using var summary = JsonDocument.Parse(search.Stdout);
        Assert.Equal(1, summary.RootElement.GetProperty("trials").GetProperty("completed").GetInt32());
        Assert.Equal("Completed", summary.RootElement.GetProperty("winnerKind").GetString());
        Assert.True(summary.RootElement.GetProperty("elapsedSeconds").GetDouble() >= 1, "the elapsed time is the time the search took");

        var exported = Cli(workspace, 300, "export", "best", "--experiment", "two", "--out", Path.Join(Folder("autonet-outcome-out-"), "model"), "--format", "safetensors");
        Assert.True(exported.ExitCode == 0, exported.Stderr + exported.Stdout);
        Assert.DoesNotContain("note:", exported.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_trial_was_stopped_early_best_is_the_best_checkpointed_one_and_says_so()
    {
        var workspace = Folder("autonet-outcome-ws-");
        // One epoch over all trials: the first trial is stopped by the budget after its first epoch.
        var search = Cli(workspace, 600, "search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--max-epochs", "1", "--experiment", "short", "--seed", "2", "--plain");
        Assert.True(search.ExitCode == 0, search.Stderr + search.Stdout);
        Assert.Contains("no trial trained its full budget, so the best checkpointed one", search.Stdout, StringComparison.Ordinal);

        await using (var store = await ExperimentStore.OpenAsync(Path.Join(workspace, "autonet.db")))
        {
            var trials = await store.ListTrialsAsync((await store.GetExperimentAsync("short"))!.Id);
            Assert.All(trials, t => Assert.NotEqual(TrialState.Completed, t.State));
        }

        var shown = Cli(workspace, 120, "show", "best", "--experiment", "short", "--json");
        Assert.True(shown.ExitCode == 0, shown.Stderr + shown.Stdout);
        Assert.Contains("note: 'best' of 'short' is trial 1, pruned after 1 epoch", shown.Stderr, StringComparison.Ordinal);
        var exported = Cli(workspace, 300, "export", "best", "--experiment", "short", "--out", Path.Join(Folder("autonet-outcome-out-"), "model"), "--format", "safetensors");
        Assert.True(exported.ExitCode == 0, exported.Stderr + exported.Stdout);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_trials_hyperparameters_and_scores()
    {
        var runs = new List<IReadOnlyList<string>>();
        foreach (var run in new[] { "first", "second" })
        {
            var workspace = Folder("autonet-outcome-ws-");
            var search = Cli(workspace, 600, "search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--strategy", "evolution", "--scheduler", "asha",
                "--max-trials", "4", "--experiment", "seeded", "--seed", "11", "--json");
            Assert.True(search.ExitCode == 0, $"{run}: {search.Stderr}{search.Stdout}");
            await using var store = await ExperimentStore.OpenAsync(Path.Join(workspace, "autonet.db"));
            var trials = await store.ListTrialsAsync((await store.GetExperimentAsync("seeded"))!.Id);
            var lines = new List<string>();
            foreach (var trial in trials)
            {
                var epochs = await store.GetEpochMetricsAsync(trial.Id);
                lines.Add($"{trial.Number} {trial.GenotypeHash} {trial.HyperparametersJson} {trial.State} {trial.EpochsDone} {trial.TestAccuracy:R} "
                    + string.Join(",", epochs.Select(e => $"{e.ValidationAccuracy:R}/{e.TrainLoss:R}")));
            }

            runs.Add(lines);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        output.WriteLine(string.Join('\n', runs[0]));
        Assert.Equal(4, runs[0].Count);
        Assert.Equal(runs[0], runs[1]);
    }

    private string Folder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        folders.Add(folder);
        return folder;
    }

    private static (int ExitCode, string Stdout, string Stderr) Cli(string workspace, int timeoutSeconds, params string[] arguments) =>
        ProcessRunner.Run("dotnet", [CliDll, .. arguments, "--workspace", workspace], timeoutSeconds);
}
