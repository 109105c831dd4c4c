using AutoNet.Data.Sources;
using AutoNet.Data.Splits;
using AutoNet.Scheduling.Experiments;
using AutoNet.Search;
using AutoNet.Search.Spaces;
using AutoNet.Store;
using static AutoNet.Scheduling.Tests.Experiments.StoredTrials;

namespace AutoNet.Scheduling.Tests.Experiments;

/// <summary>Which search trial the final training retrains, and for how many epochs.</summary>
public sealed class FinalTrainingTests : IDisposable
{
    private readonly TestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task The_epochs_fill_the_plans_time_or_the_time_left_of_the_whole_budget_when_given()
    {
        var folder = TestImages.WriteFolder(database.Directory, [("ant", 30), ("bee", 30)], side: 12, seed: 3);
        var listing = ImageFolderSource.Scan(folder);
        var split = new StratifiedSplitter(seed: 1).Split(listing);
        var plan = new SearchPlan { MaxTrials = 1, Resolution = 12, CacheThreads = 1, FinalTrainingSeconds = 60 };
        var catalog = SearchSpaceCatalog.Default;
        var space = catalog.Resolve("macro-cnn-tiny");
        await using var store = await ExperimentStore.OpenAsync(database.Path_);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("final", folder, split.ToJson(), space.Name,
            await File.ReadAllTextAsync(catalog.ResolvePath("macro-cnn-tiny")), "random", "fifo", plan.ToJson(), Seed: 1));
        var sample = space.Sample(new SearchRandom(2));
        var trial = await store.AddTrialAsync(experiment.Id, new NewTrial("{}", sample.Hash, sample.ToCanonicalJson()));
        await store.ClaimTrialAsync(trial.Id, "w", "cpu", TimeSpan.FromMinutes(1));
        foreach (var epoch in new[] { 1, 2, 3 })
        {
            // Searched on every image, so a final epoch is estimated as long as the winner's median one (10 s).
            await store.ReportEpochAsync(trial.Id, "w", new EpochMetrics(epoch, 1.0, 1.0, 0.5 + (epoch / 10.0), null, 0.1, epoch == 2 ? 10 : 9 + epoch));
        }

        await store.FinishTrialAsync(trial.Id, "w", TrialFinish.Completed(0.7));
        using var data = new ExperimentData(Path.Join(database.Directory, "workspace"), listing, split, plan);

        var planned = (await FinalTraining.PlanAsync(store, experiment, data, null, CancellationToken.None))!;
        Assert.Equal(trial.Id, planned.Winner.Id);
        Assert.Equal(10, planned.SecondsPerEpoch, 6);
        Assert.Equal(6, planned.Epochs);
        Assert.False(planned.TimeLeft);
        Assert.DoesNotContain("left of the time budget", planned.Describe(48), StringComparison.Ordinal);

        // The plan's time is filled to the nearest epoch (65 s: 7 epochs); what the set-up and the search left of a whole
        // budget is a limit, filled with the epochs that fit (3 min 29 s: 20.9 epochs, 20).
        var plannedLonger = plan with { FinalTrainingSeconds = 65 };
        using var longerData = new ExperimentData(Path.Join(database.Directory, "workspace"), listing, split, plannedLonger);
        Assert.Equal(7, (await FinalTraining.PlanAsync(store, experiment, longerData, null, CancellationToken.None))!.Epochs);
        var left = (await FinalTraining.PlanAsync(store, experiment, data, TimeSpan.FromSeconds(209), CancellationToken.None))!;
        Assert.Equal(20, left.Epochs);
        Assert.Equal(20, SearchSample.FromJson(left.Proposal.HyperparametersJson).GetInt32(SpaceLabels.Epochs));
        Assert.Contains("20 epochs (about 10 s each, in the 3 min left of the time budget)", left.Describe(48), StringComparison.Ordinal);

        // A search that overran its share still hands over a trained winner: one epoch.
        Assert.Equal(1, (await FinalTraining.PlanAsync(store, experiment, data, TimeSpan.FromSeconds(-30), CancellationToken.None))!.Epochs);
    }

    [Fact]
    public void The_winner_is_the_best_completed_search_trial_and_a_final_trial_or_a_failure_never_is()
    {
        Trial[] trials =
        [
            Make(1, TrialState.Completed, 9, 0.80),
            Make(2, TrialState.Pruned, 3, 0.95),
            Make(3, TrialState.Completed, 9, 0.85),
            Make(4, TrialState.Completed, 9, 0.85),
            Make(5, TrialState.Failed, 2, 0.99),
            Make(6, TrialState.Completed, 20, 0.99, TrialRole.Final),
        ];

        Assert.Equal(3, FinalTraining.ChooseWinner(trials)!.Number);
    }

    [Fact]
    public void With_no_completed_trial_the_survivor_of_the_most_rungs_wins_then_the_best_score()
    {
        Trial[] trials =
        [
            Make(1, TrialState.Pruned, 1, 0.90),
            Make(2, TrialState.Pruned, 3, 0.70),
            Make(3, TrialState.Pruned, 3, 0.75),
            Make(4, TrialState.Waiting, 0, null),
        ];

        Assert.Equal(3, FinalTraining.ChooseWinner(trials)!.Number);
        Assert.Null(FinalTraining.ChooseWinner([Make(1, TrialState.Waiting, 0, null), Make(2, TrialState.Failed, 1, 0.5)]));
    }
}
