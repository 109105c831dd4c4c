using System.Text.Json;
using AutoNet.Cli.Inspection;
using AutoNet.Store;
using AutoNet.Store.Reports;

namespace AutoNet.Cli.Tests;

/// <summary>
/// Expected figures from <see cref="InspectionStoreFixture"/>. alpha: trials 1 (completed; 0.50 in 10s, 0.70 in 12s),
/// 2 (pruned; 0.40 in 8s), 3 (completed; 0.60 in 9s, 0.80 in 11s, 0.75 in 10s), 4 (failed, no epochs). beta: trials
/// 1 (0.55 in 5s, 0.65 in 5s), 2 (0.72 in 6s), 3 (0.30 in 4s), all completed.
/// </summary>
public sealed class CompareCommandTests(InspectionStoreFixture fixture) : IClassFixture<InspectionStoreFixture>
{
    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "AutoNet.Cli.dll");

    [Fact]
    public async Task Two_experiments_compare_on_scores_counts_training_time_and_time_to_the_lower_best()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var comparison = await Comparison.BuildAsync(store, ["alpha", "beta"], null, CancellationToken.None);

        // The lower of the two bests: alpha 0.80, beta 0.72.
        Assert.Equal(0.72, comparison.Target);
        var (alpha, beta) = (comparison.Experiments[0], comparison.Experiments[1]);
        Assert.Equal(("alpha", "Completed", "darts-cell", "random", "asha", 1L), (alpha.Name, alpha.State, alpha.Space, alpha.Strategy, alpha.Scheduler, alpha.Seed));
        Assert.Equal(4, alpha.Budget.GetProperty("maxTrials").GetInt32());
        Assert.Equal((4, 2, 1, 1, 0), (alpha.Trials, alpha.Completed, alpha.Pruned, alpha.Failed, alpha.Unfinished));
        // Completed trials' bests 0.70 and 0.80: median 0.75; the pruned trial does not count.
        Assert.Equal((0.80, 0.75, 0.78), (alpha.BestValidationAccuracy!.Value, alpha.MedianValidationAccuracy!.Value, alpha.BestTestAccuracy!.Value));
        Assert.Equal((60.0, 6), (alpha.TrainingSeconds, alpha.Epochs));
        // 10 + 12 (trial 1) + 8 (trial 2) + 9 + 11 (trial 3 reaches 0.80 ≥ 0.72 in its second epoch).
        Assert.Equal((true, 50.0, 3, 5), (alpha.TargetReached, alpha.SecondsToTarget!.Value, alpha.TrialsToTarget!.Value, alpha.EpochsToTarget!.Value));

        Assert.Equal(("evolution", "fifo", 2L), (beta.Strategy, beta.Scheduler, beta.Seed));
        Assert.Equal((3, 3, 0, 0), (beta.Trials, beta.Completed, beta.Pruned, beta.Failed));
        // Bests 0.65, 0.72, 0.30: median 0.65; trial 3 was tested without an accuracy, so the best test is trial 2's.
        Assert.Equal((0.72, 0.65, 0.70), (beta.BestValidationAccuracy!.Value, beta.MedianValidationAccuracy!.Value, beta.BestTestAccuracy!.Value));
        Assert.Equal((20.0, 4), (beta.TrainingSeconds, beta.Epochs));
        Assert.Equal((true, 16.0, 2, 3), (beta.TargetReached, beta.SecondsToTarget!.Value, beta.TrialsToTarget!.Value, beta.EpochsToTarget!.Value));
    }

    [Fact]
    public async Task A_target_one_experiment_never_reached_is_reported_as_not_reached()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var comparison = await Comparison.BuildAsync(store, ["beta", "alpha"], 0.79, CancellationToken.None);

        Assert.Equal(("beta", "alpha"), (comparison.Experiments[0].Name, comparison.Experiments[1].Name));
        Assert.False(comparison.Experiments[0].TargetReached);
        Assert.Null(comparison.Experiments[0].SecondsToTarget);
        Assert.Null(comparison.Experiments[0].TrialsToTarget);
        Assert.Equal((50.0, 3), (comparison.Experiments[1].SecondsToTarget!.Value, comparison.Experiments[1].TrialsToTarget!.Value));
    }

    [Fact]
    public async Task Unknown_experiments_a_single_experiment_and_a_target_outside_zero_to_one_are_refused()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var unknown = await Assert.ThrowsAsync<CliException>(() => Comparison.BuildAsync(store, ["alpha", "gamma"], null, CancellationToken.None));
        Assert.Contains("no experiment 'gamma'", unknown.Message, StringComparison.Ordinal);
        var single = await Assert.ThrowsAsync<CliException>(() => Comparison.BuildAsync(store, ["alpha"], null, CancellationToken.None));
        Assert.Contains("at least two", single.Message, StringComparison.Ordinal);
        var twice = await Assert.ThrowsAsync<CliException>(() => Comparison.BuildAsync(store, ["alpha", "alpha"], null, CancellationToken.None));
        Assert.Contains("named twice", twice.Message, StringComparison.Ordinal);
        var percent = await Assert.ThrowsAsync<CliException>(() => Comparison.BuildAsync(store, ["alpha", "beta"], 80, CancellationToken.None));
        Assert.Contains("--target 80", percent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Experiments_without_completed_trials_have_no_scores_and_set_no_target()
    {
        await using var store = await ExperimentStore.OpenAsync(fixture.StorePath);
        var withBeta = await Comparison.BuildAsync(store, ["empty", "beta"], null, CancellationToken.None);
        Assert.Equal(0.72, withBeta.Target);
        var empty = withBeta.Experiments[0];
        Assert.Equal((0, 0, 0.0), (empty.Trials, empty.Epochs, empty.TrainingSeconds));
        Assert.Null(empty.BestValidationAccuracy);
        Assert.Null(empty.MedianValidationAccuracy);
        Assert.False(empty.TargetReached);

        var none = await Comparison.BuildAsync(store, ["empty", "idle"], null, CancellationToken.None);
        Assert.Null(none.Target);
        Assert.Contains("no experiment has a completed trial", none.TargetSource, StringComparison.Ordinal);
        Assert.Equal((1, 1, 0), (none.Experiments[1].Trials, none.Experiments[1].Unfinished, none.Experiments[1].Completed));
        Assert.False(none.Experiments[1].TargetReached);
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        Assert.Equal(2.0, ExperimentComparison.Median([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, ExperimentComparison.Median([4.0, 1.0, 3.0, 2.0]));
        Assert.Null(ExperimentComparison.Median([]));
    }

    [Fact]
    public void The_built_cli_compares_as_json_and_as_text_and_names_an_unknown_experiment()
    {
        var (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [CliDll, "compare", "alpha", "beta", "--store", fixture.StorePath, "--json"]);
        Assert.True(exitCode == 0, stderr + stdout);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(0.72, json.RootElement.GetProperty("target").GetDouble());
            var experiments = json.RootElement.GetProperty("experiments");
            Assert.Equal("alpha", experiments[0].GetProperty("name").GetString());
            Assert.Equal(0.75, experiments[0].GetProperty("medianValidationAccuracy").GetDouble());
            Assert.Equal(16.0, experiments[1].GetProperty("secondsToTarget").GetDouble());
        }

        (exitCode, stdout, stderr) = ProcessRunner.Run("dotnet", [CliDll, "compare", "alpha", "beta", "--store", fixture.StorePath, "--target", "0.79"]);
        Assert.True(exitCode == 0, stderr + stdout);
        Assert.Contains("time to 0.7900", stdout, StringComparison.Ordinal);
        Assert.Contains("not reached", stdout, StringComparison.Ordinal);
        Assert.Contains("evolution", stdout, StringComparison.Ordinal);

        (exitCode, _, stderr) = ProcessRunner.Run("dotnet", [CliDll, "compare", "alpha", "nope", "--store", fixture.StorePath]);
        Assert.Equal(1, exitCode);
        Assert.Contains("error: no experiment 'nope'", stderr, StringComparison.Ordinal);

        var missing = Path.Combine(fixture.Folder, "no-such-store.db");
        (exitCode, _, stderr) = ProcessRunner.Run("dotnet", [CliDll, "compare", "alpha", "beta", "--store", missing]);
        Assert.Equal(1, exitCode);
        Assert.Contains("no experiment store at", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }
}
