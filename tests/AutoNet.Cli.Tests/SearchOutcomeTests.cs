using System.Diagnostics;
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
            runs.Add(await TrialLinesAsync(workspace, "seeded"));
        }

        output.WriteLine(string.Join('\n', runs[0]));
        Assert.Equal(4, runs[0].Count);
        Assert.Equal(runs[0], runs[1]);
    }

    [Fact]
    public async Task An_asha_search_killed_mid_trial_and_resumed_ends_every_trial_as_the_uninterrupted_search_with_its_seed()
    {
        string[] arguments = ["search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--strategy", "random", "--scheduler", "asha",
            "--max-trials", "4", "--experiment", "asha", "--seed", "5", "--device", "cpu"];
        var straightWorkspace = Folder("autonet-outcome-straight-");
        var straight = Cli(straightWorkspace, 600, [.. arguments, "--json"]);
        Assert.True(straight.ExitCode == 0, straight.Stderr + straight.Stdout);
        var expected = await TrialLinesAsync(straightWorkspace, "asha");

        // The same search, killed once the third trial has stored its first epoch (two trials wait at the rung by
        // then, and ASHA decides on the third), then resumed.
        var workspace = Folder("autonet-outcome-killed-");
        using (var search = Process.Start(TestChildProcess.StartInfo("dotnet", [CliDll, .. arguments, "--plain", "--workspace", workspace]))!)
        {
            search.ErrorDataReceived += (_, _) => { };
            search.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddMinutes(5);
            string? line;
            while ((line = await search.StandardOutput.ReadLineAsync()) is not null && !line.Contains("trial 3: epoch 1/", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, "trial 3 did not reach its first epoch in time");
            }

            Assert.NotNull(line);
            search.Kill();
            await search.WaitForExitAsync();
            Assert.Equal(137, search.ExitCode);
        }

        var resumed = Cli(workspace, 600, "search", "--resume", "asha", "--device", "cpu", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);

        output.WriteLine(string.Join('\n', expected));
        Assert.Contains(expected, l => l.Contains(" Completed ", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.Contains(" Pruned ", StringComparison.Ordinal));
        Assert.Equal(expected, await TrialLinesAsync(workspace, "asha"));
    }

    /// <summary>Each trial of the experiment as one line: what it tried, how it ended, and every stored score.</summary>
    private static async Task<IReadOnlyList<string>> TrialLinesAsync(string workspace, string experiment)
    {
        var lines = new List<string>();
        await using (var store = await ExperimentStore.OpenAsync(Path.Join(workspace, "autonet.db")))
        {
            foreach (var trial in await store.ListTrialsAsync((await store.GetExperimentAsync(experiment))!.Id))
            {
                var epochs = await store.GetEpochMetricsAsync(trial.Id);
                lines.Add($"{trial.Number} {trial.Role} {trial.GenotypeHash} {trial.HyperparametersJson} {trial.State} {trial.EpochsDone} {trial.TestAccuracy:R} "
                    + string.Join(",", epochs.Select(e => $"{e.ValidationAccuracy:R}/{e.TrainLoss:R}")));
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return lines;
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
