using System.Diagnostics;
using System.Text.Json;
using AutoNet.Store;
using Xunit.Abstractions;

namespace AutoNet.Cli.Tests;

/// <summary>
/// `autonet search`, `experiments` and `leaderboard` as a user runs them: real processes, real training of tiny
/// networks on a 1,200-image Fashion-MNIST folder at 28 x 28, a SQLite store, kill -9 and --resume.
/// </summary>
public sealed class SearchCommandTests(FashionMnistFolder data, ITestOutputHelper output) : IClassFixture<FashionMnistFolder>, IDisposable
{
    private readonly string workspace = Directory.CreateTempSubdirectory("autonet-search-ws-").FullName;

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    private string StorePath => Path.Join(workspace, "autonet.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(workspace, recursive: true);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("evolution")]
    [InlineData("rl")]
    [InlineData("tpe")]
    [InlineData("oneshot")]
    public async Task A_search_with_ASHA_completes_stores_every_trial_and_the_leaderboard_follows_the_stored_metrics(string strategy)
    {
        var (exitCode, stdout, stderr) = Cli(600, "search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--strategy", strategy, "--scheduler", "asha",
            "--max-trials", "6", "--experiment", "small", "--seed", "3", "--json");
        output.WriteLine(stderr);
        Assert.True(exitCode == 0, stderr + stdout);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal("Completed", summary.RootElement.GetProperty("state").GetString());
        Assert.Equal(strategy, summary.RootElement.GetProperty("strategy").GetString());
        Assert.Equal(6, summary.RootElement.GetProperty("trials").GetProperty("total").GetInt32());

        await using var store = await ExperimentStore.OpenAsync(StorePath);
        var experiment = (await store.GetExperimentAsync("small"))!;
        Assert.Equal(ExperimentState.Completed, experiment.State);
        var trials = await store.ListTrialsAsync(experiment.Id);
        Assert.Equal([1L, 2, 3, 4, 5, 6], trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.True(t.State is TrialState.Completed or TrialState.Pruned, $"trial {t.Number} is {t.State}: {t.FailureReason}"));
        Assert.Contains(trials, t => t.State == TrialState.Pruned);
        foreach (var trial in trials)
        {
            var epochs = await store.GetEpochMetricsAsync(trial.Id);
            Assert.Equal(Enumerable.Range(1, (int)trial.EpochsDone), epochs.Select(e => e.Epoch));
            Assert.Equal(epochs.Max(e => e.ValidationAccuracy), trial.BestValidationAccuracy);
            Assert.Equal(trial.State == TrialState.Completed, trial.TestAccuracy is not null);
        }

        // The leaderboard ranks by the stored best validation accuracy, ties by trial number.
        var expected = trials.OrderByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number).Select(t => t.Number).ToList();
        var board = Cli(60, "leaderboard", "small", "--state", "completed,pruned", "--workspace", workspace, "--json");
        Assert.True(board.ExitCode == 0, board.Stderr);
        using var ranked = JsonDocument.Parse(board.Stdout);
        var rows = ranked.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(expected, rows.Select(r => r.GetProperty("trial").GetInt64()));
        Assert.Equal(trials.OrderByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number).Select(t => t.BestValidationAccuracy),
            rows.Select(r => (double?)r.GetProperty("validationAccuracy").GetDouble()));

        var top = Cli(60, "leaderboard", "small", "--top", "2", "--sort", "test", "--workspace", workspace, "--csv");
        Assert.True(top.ExitCode == 0, top.Stderr);
        var lines = top.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("rank,trial,state,validation,test,params,flops,epochs,seconds,strategy", lines[0]);
        var completed = trials.Where(t => t.State == TrialState.Completed).OrderByDescending(t => t.TestAccuracy).ThenBy(t => t.Number).Take(2).ToList();
        Assert.Equal(completed.Select(t => t.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Skip(1).Select(l => l.Split(',')[1]));

        var list = Cli(60, "experiments", "--workspace", workspace, "--json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        using var experiments = JsonDocument.Parse(list.Stdout);
        var row = Assert.Single(experiments.RootElement.GetProperty("experiments").EnumerateArray());
        Assert.Equal("small", row.GetProperty("name").GetString());
        Assert.Equal(6, row.GetProperty("trials").GetInt32());
        Assert.Equal(trials.Where(t => t.State == TrialState.Completed).Max(t => t.BestValidationAccuracy), row.GetProperty("bestValidationAccuracy").GetDouble());
    }

    [Fact]
    public async Task A_search_killed_mid_trial_resumes_with_finished_trials_intact_and_the_interrupted_one_from_its_checkpoint()
    {
        // At 28 px an epoch of these 960 images took a fraction of a second, and on a busy machine trial 2 once finished
        // its other two epochs before the kill landed; at 64 px the epochs are several times longer.
        var search = Start("search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--strategy", "random", "--scheduler", "fifo",
            "--max-trials", "3", "--resolution", "64", "--experiment", "crash", "--seed", "5", "--plain", "--device", "cpu");
        // FIFO on one slot: trial 1 trains its 3 epochs, then trial 2 starts; kill once trial 2 has a checkpoint.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        string? line;
        while ((line = await search.StandardOutput.ReadLineAsync()) is not null && !line.Contains("trial 2: epoch 1/3", StringComparison.Ordinal))
        {
            output.WriteLine(line);
            Assert.True(DateTime.UtcNow < deadline, "trial 2 did not reach epoch 1 in time");
        }

        Assert.NotNull(line);
        search.Kill();
        await search.WaitForExitAsync();
        Assert.Equal(137, search.ExitCode);

        List<Trial> before;
        Dictionary<long, IReadOnlyList<EpochMetrics>> epochsBefore = [];
        await using (var store = await ExperimentStore.OpenAsync(StorePath))
        {
            var experiment = (await store.GetExperimentAsync("crash"))!;
            Assert.Equal(ExperimentState.Running, experiment.State);
            before = [.. await store.ListTrialsAsync(experiment.Id)];
            foreach (var trial in before)
            {
                epochsBefore[trial.Number] = await store.GetEpochMetricsAsync(trial.Id);
            }
        }

        Assert.Equal(TrialState.Completed, before[0].State);
        Assert.Equal(3, before[0].EpochsDone);
        Assert.Equal(TrialState.Running, before[1].State);
        Assert.InRange(before[1].EpochsDone, 1, 2);
        Assert.True(File.Exists(Path.Join(workspace, "experiments", "crash", "trials", "0002", "checkpoint", "model.safetensors"))
            || Directory.Exists(Path.Join(workspace, "experiments", "crash", "trials", "0002", "checkpoint")));

        var (exitCode, stdout, stderr) = Cli(600, "search", "--resume", "crash", "--device", "cpu", "--json");
        output.WriteLine(stderr);
        Assert.True(exitCode == 0, stderr + stdout);
        await using (var store = await ExperimentStore.OpenAsync(StorePath))
        {
            var experiment = (await store.GetExperimentAsync("crash"))!;
            Assert.Equal(ExperimentState.Completed, experiment.State);
            var after = await store.ListTrialsAsync(experiment.Id);
            Assert.Equal([1L, 2, 3], after.Select(t => t.Number));
            Assert.All(after, t => Assert.Equal(TrialState.Completed, t.State));
            Assert.All(after, t => Assert.Equal(3, t.EpochsDone));
            // The finished trial is untouched.
            Assert.Equal(before[0], after[0]);
            Assert.Equal(epochsBefore[1], await store.GetEpochMetricsAsync(after[0].Id));
            // The interrupted trial kept its stored epochs and went on from its checkpoint, claimed a second time.
            var resumed = await store.GetEpochMetricsAsync(after[1].Id);
            Assert.Equal(epochsBefore[2], resumed.Take(epochsBefore[2].Count));
            Assert.Equal(2, after[1].Attempts);
            Assert.Equal(1, after[2].Attempts);
            Assert.Equal(9, after.Sum(t => t.EpochsDone));
        }

        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal(3, summary.RootElement.GetProperty("trials").GetProperty("completed").GetInt32());
        Assert.Equal(9, summary.RootElement.GetProperty("trials").GetProperty("epochs").GetInt32());
    }

    [Fact]
    public async Task Ctrl_C_stops_gracefully_with_status_130_and_leaves_a_resumable_experiment()
    {
        // Four trials of three epochs on one slot: the signal, sent at trial 1's first epoch, comes long before the end.
        var search = Start("search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--scheduler", "fifo", "--max-trials", "4",
            "--experiment", "interrupted", "--seed", "2", "--plain", "--device", "cpu");
        var stdout = new List<string>();
        string? line;
        while ((line = await search.StandardOutput.ReadLineAsync()) is not null && !line.Contains("trial 1: epoch 1/3", StringComparison.Ordinal))
        {
            stdout.Add(line);
        }

        Assert.NotNull(line);
        using (var signal = Process.Start("kill", ["-INT", search.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        stdout.AddRange((await search.StandardOutput.ReadToEndAsync()).Split('\n'));
        await search.WaitForExitAsync();
        output.WriteLine(string.Join('\n', stdout));
        Assert.Equal(130, search.ExitCode);
        Assert.Contains(stdout, l => l.Contains("autonet search --resume interrupted", StringComparison.Ordinal));

        await using (var store = await ExperimentStore.OpenAsync(StorePath))
        {
            var experiment = (await store.GetExperimentAsync("interrupted"))!;
            Assert.Equal(ExperimentState.Stopped, experiment.State);
            // Trials before the interrupted one (if the signal was slow) finished; the interrupted one waits at its checkpoint.
            var trials = await store.ListTrialsAsync(experiment.Id);
            Assert.All(trials.SkipLast(1), t => Assert.Equal(TrialState.Completed, t.State));
            Assert.Equal(TrialState.Waiting, trials[^1].State);
            Assert.InRange(trials[^1].EpochsDone, 0, 2);
        }

        var resumed = Cli(300, "search", "--resume", "interrupted", "--device", "cpu", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        await using (var store = await ExperimentStore.OpenAsync(StorePath))
        {
            var experiment = (await store.GetExperimentAsync("interrupted"))!;
            var trials = await store.ListTrialsAsync(experiment.Id);
            Assert.Equal([1L, 2, 3, 4], trials.Select(t => t.Number));
            foreach (var trial in trials)
            {
                Assert.Equal(TrialState.Completed, trial.State);
                Assert.Equal([1, 2, 3], (await store.GetEpochMetricsAsync(trial.Id)).Select(e => e.Epoch));
            }
        }
    }

    [Fact]
    public async Task A_final_training_retrains_the_winner_on_every_training_image_and_is_the_model_handed_over()
    {
        var (exitCode, stdout, stderr) = Cli(600, "search", "--data", data.Path_, "--space", "macro-cnn-tiny", "--strategy", "random", "--scheduler", "fifo",
            "--max-trials", "3", "--search-images", "240", "--final-training", "15s", "--experiment", "final", "--seed", "4", "--json");
        output.WriteLine(stderr);
        Assert.True(exitCode == 0, stderr + stdout);

        await using var store = await ExperimentStore.OpenAsync(StorePath);
        var experiment = (await store.GetExperimentAsync("final"))!;
        Assert.Equal(ExperimentState.Completed, experiment.State);
        var trials = await store.ListTrialsAsync(experiment.Id);
        Assert.Equal([TrialRole.Search, TrialRole.Search, TrialRole.Search, TrialRole.Final], trials.Select(t => t.Role));
        var winner = trials.Where(t => t.Role == TrialRole.Search && t.State == TrialState.Completed)
            .OrderByDescending(t => t.BestValidationAccuracy).ThenBy(t => t.Number).First();
        var final = trials[^1];
        Assert.True(final.State == TrialState.Completed, $"the final training is {final.State}: {final.FailureReason}");

        // The winner's architecture and hyperparameters, its epochs fitted to the time, trained to the end and tested.
        Assert.Equal(winner.GenotypeJson, final.GenotypeJson);
        var finalSample = AutoNet.Search.Spaces.SearchSample.FromJson(final.HyperparametersJson);
        var winnerSample = AutoNet.Search.Spaces.SearchSample.FromJson(winner.HyperparametersJson);
        var epochs = finalSample.GetInt32(AutoNet.Search.Spaces.SpaceLabels.Epochs);
        Assert.Equal(winnerSample, finalSample.With(AutoNet.Search.Spaces.SpaceLabels.Epochs, winnerSample.GetInt32(AutoNet.Search.Spaces.SpaceLabels.Epochs)));
        Assert.InRange(epochs, 1, 200);
        Assert.Equal(epochs, final.EpochsDone);
        Assert.NotNull(final.TestAccuracy);

        using (var summary = JsonDocument.Parse(stdout))
        {
            var handedOver = summary.RootElement.GetProperty("winner");
            Assert.Equal(final.Number, handedOver.GetProperty("trial").GetInt64());
            Assert.Equal("final training", handedOver.GetProperty("strategy").GetString());
        }

        // `best` is the final training for show, evaluate and export alike.
        var package = Path.Join(workspace, "package");
        var export = Cli(300, "export", "best", "--experiment", "final", "--out", package, "--format", "safetensors", "--json");
        Assert.True(export.ExitCode == 0, export.Stderr);
        using var exported = JsonDocument.Parse(export.Stdout);
        Assert.Equal(final.Number, exported.RootElement.GetProperty("trial").GetInt64());
    }

    [Fact]
    public async Task Bad_input_gives_a_clear_error_and_a_non_zero_exit()
    {
        var missing = Cli(60, "leaderboard", "--store", Path.Join(workspace, "none.db"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no experiment store at", missing.Stderr);
        Assert.False(File.Exists(Path.Join(workspace, "none.db")));

        var notAStore = Path.Join(workspace, "notes.db");
        await File.WriteAllTextAsync(notAStore, "these are my notes, not a database");
        var wrong = Cli(60, "experiments", "--store", notAStore);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("notes.db", wrong.Stderr);
        Assert.Equal("these are my notes, not a database", await File.ReadAllTextAsync(notAStore));

        await (await ExperimentStore.OpenAsync(StorePath)).DisposeAsync();
        var unknown = Cli(60, "leaderboard", "nope", "--workspace", workspace);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no experiment 'nope'", unknown.Stderr);

        var resume = Cli(60, "search", "--resume", "nope", "--workspace", workspace);
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains("no experiment 'nope'", resume.Stderr);

        var space = Cli(60, "search", "--data", data.Path_, "--space", "no-such-space", "--workspace", workspace);
        Assert.Equal(1, space.ExitCode);
        Assert.Contains("no-such-space", space.Stderr);

        var strategy = Cli(60, "search", "--data", data.Path_, "--strategy", "hill-climbing", "--workspace", workspace);
        Assert.Equal(1, strategy.ExitCode);
        Assert.Contains("--strategy 'hill-climbing'", strategy.Stderr);

        var budget = Cli(60, "search", "--data", data.Path_, "--time-budget", "soon", "--workspace", workspace);
        Assert.Equal(1, budget.ExitCode);
        Assert.Contains("--time-budget 'soon'", budget.Stderr);

        var final = Cli(60, "search", "--data", data.Path_, "--final-training", "later", "--workspace", workspace);
        Assert.Equal(1, final.ExitCode);
        Assert.Contains("--final-training 'later'", final.Stderr);

        var subset = Cli(60, "search", "--data", data.Path_, "--search-images", "0", "--workspace", workspace);
        Assert.Equal(1, subset.ExitCode);
        Assert.Contains("--search-images", subset.Stderr);

        // Nothing was stored by the refused searches.
        await using var store = await ExperimentStore.OpenAsync(StorePath);
        Assert.Empty(await store.ListExperimentsAsync());
    }

    [Fact]
    public async Task A_search_whose_set_up_fails_after_the_experiment_is_stored_ends_it_failed_with_the_reason()
    {
        // Image names, nothing an image decoder can read: the listing accepts them, the cache build cannot.
        var broken = Path.Join(workspace, "broken-data");
        var random = new Random(5);
        foreach (var label in new[] { "cat", "dog" })
        {
            Directory.CreateDirectory(Path.Join(broken, label));
            for (var i = 0; i < 10; i++)
            {
                var bytes = new byte[2000];
                random.NextBytes(bytes);
                await File.WriteAllBytesAsync(Path.Join(broken, label, $"{i}.png"), bytes);
            }
        }

        var (exitCode, _, stderr) = Cli(300, "search", "--data", broken, "--experiment", "broken", "--max-trials", "1", "--device", "cpu", "--plain");
        Assert.Equal(1, exitCode);
        Assert.Contains("could be decoded", stderr);

        var listed = Cli(60, "experiments", "--json");
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        using var json = JsonDocument.Parse(listed.Stdout);
        var experiment = json.RootElement.GetProperty("experiments").EnumerateArray().Single();
        Assert.Equal("Failed", experiment.GetProperty("state").GetString());
        Assert.Contains("could be decoded", experiment.GetProperty("failureReason").GetString());
        Assert.Contains("broken failed: no training image", Cli(60, "experiments").Stdout);
    }

    private (int ExitCode, string Stdout, string Stderr) Cli(int timeoutSeconds, params string[] arguments)
    {
        var withWorkspace = arguments.Contains("--workspace") || arguments.Contains("--store") ? arguments : [.. arguments, "--workspace", workspace];
        return ProcessRunner.Run("dotnet", [CliDll, .. withWorkspace], timeoutSeconds);
    }

    private Process Start(params string[] arguments)
    {
        var process = Process.Start(TestChildProcess.StartInfo("dotnet", [CliDll, .. arguments, "--workspace", workspace]))!;
        process.ErrorDataReceived += (_, e) => { };
        process.BeginErrorReadLine();
        return process;
    }
}
