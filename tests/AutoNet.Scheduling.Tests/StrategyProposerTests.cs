using AutoNet.Scheduling.Search;
using AutoNet.Scheduling.Store;
using AutoNet.Search;
using AutoNet.Search.MultiFidelity;
using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Store;

namespace AutoNet.Scheduling.Tests;

public sealed class StrategyProposerTests
{
    private static SearchSpace Darts => SearchSpaceCatalog.Default.Resolve("darts");

    private static SearchSpace Macro => SearchSpaceCatalog.Default.Resolve("macro-cnn");

    [Fact]
    public void A_cell_space_proposal_carries_the_genotype_the_whole_sample_its_epochs_and_its_size()
    {
        var guard = new ComplexityGuard(Darts, 1, 10, 28, 28);
        var proposer = new StrategyProposer(new RandomSearch(Darts, 3), guard);

        var proposal = proposer.Propose()!;

        var sample = SearchSample.FromJson(proposal.HyperparametersJson);
        Darts.Validate(sample);
        var genotype = SampleConversions.ToGenotype(Darts, sample);
        Assert.Equal(genotype.ToCanonicalJson(), proposal.GenotypeJson);
        Assert.Equal(genotype.Hash, proposal.GenotypeHash);
        Assert.Equal(sample.GetInt32(SpaceLabels.Epochs), proposal.MaxEpochs);
        Assert.Equal(proposal.MaxEpochs, ExperimentStoreLedger.MaxEpochs(proposal.HyperparametersJson));
        var complexity = guard.Measure(sample)!;
        Assert.Equal(complexity.Parameters, proposal.ParameterCount);
        Assert.Equal(2 * complexity.MultiplyAdds, proposal.Flops);
    }

    [Fact]
    public void Another_space_names_its_architecture_by_the_non_hyperparameter_decisions()
    {
        var proposer = new StrategyProposer(new RandomSearch(Macro, 4), new ComplexityGuard(Macro, 1, 10, 28, 28));

        var proposal = proposer.Propose()!;

        var sample = SearchSample.FromJson(proposal.HyperparametersJson);
        var architecture = SearchSample.FromJson(proposal.GenotypeJson);
        Assert.Equal(sample.Labels.Where(l => !l.StartsWith("hp/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), architecture.Labels);
        Assert.All(architecture.Labels, l => Assert.Equal(sample[l], architecture[l]));
        Assert.Equal(architecture.Hash, proposal.GenotypeHash);
    }

    [Fact]
    public void Results_reach_the_strategy_by_trial_number_and_a_failure_is_told_as_null()
    {
        var points = Points(Macro, 3);
        var strategy = new ScriptedStrategy(Macro, points);
        var proposer = new StrategyProposer(strategy);
        for (var number = 1; number <= 3; number++)
        {
            proposer.Added(number * 10, proposer.Propose()!);
        }

        proposer.Tell(30, TrialEndState.Completed, 0.9);
        proposer.Tell(10, TrialEndState.Failed, 0.4);
        proposer.Tell(20, TrialEndState.Pruned, 0.3);

        Assert.Equal([(points[2], 0.9), (points[0], null), (points[1], 0.3)], strategy.Told);
    }

    [Fact]
    public void A_point_already_trained_is_not_proposed_again_and_its_result_is_told_again()
    {
        var points = Points(Macro, 2);
        var strategy = new ScriptedStrategy(Macro, [points[0], points[0], points[1]]);
        var proposer = new StrategyProposer(strategy);
        var first = proposer.Propose()!;
        proposer.Added(1, first);
        proposer.Tell(1, TrialEndState.Completed, 0.7);

        var second = proposer.Propose()!;

        Assert.Equal(points[1], SearchSample.FromJson(second.HyperparametersJson));
        Assert.Equal([(points[0], 0.7), (points[0], 0.7)], strategy.Told);
    }

    [Fact]
    public void A_point_still_in_flight_is_told_when_its_twin_ends()
    {
        var points = Points(Macro, 2);
        var strategy = new ScriptedStrategy(Macro, [points[0], points[0], points[1]]);
        var proposer = new StrategyProposer(strategy);
        proposer.Added(1, proposer.Propose()!);
        proposer.Added(2, proposer.Propose()!);

        proposer.Tell(1, TrialEndState.Completed, 0.6);

        Assert.Equal([(points[0], 0.6), (points[0], 0.6)], strategy.Told);
        Assert.Equal(points[1], proposer.SampleOf(2));
    }

    [Fact]
    public void Rejected_points_are_told_to_the_strategy_and_never_proposed()
    {
        var tight = new SearchSpaceReader().Parse(File.ReadAllText(SearchSpaceCatalog.Default.ResolvePath("macro-cnn"))
            .Replace("\"maxParams\": 3000000", "\"maxParams\": 150000", StringComparison.Ordinal), "tight.json");
        var guard = new ComplexityGuard(tight, 1, 10, 28, 28);
        var strategy = new ScriptedStrategy(tight, Points(tight, 40));
        var proposer = new StrategyProposer(strategy, guard);
        var proposed = new List<TrialProposal>();
        for (var i = 0; i < 5; i++)
        {
            proposed.Add(proposer.Propose()!);
            proposer.Added(i + 1, proposed[^1]);
        }

        Assert.All(proposed, p => Assert.InRange(p.ParameterCount!.Value, 1, 150_000));
        Assert.NotEmpty(strategy.Told);
        Assert.All(strategy.Told, t => Assert.Null(t.Score));
    }

    [Fact]
    public void The_state_is_saved_after_every_change_and_a_restored_proposer_continues_exactly()
    {
        var saved = new List<byte[]>();
        var straight = new StrategyProposer(new RegularizedEvolution(Macro, 7, populationSize: 3, sampleSize: 2));
        var interrupted = new StrategyProposer(new RegularizedEvolution(Macro, 7, populationSize: 3, sampleSize: 2), save: saved.Add);
        var a = Drive(straight, 1, 6, tellUpTo: 4);
        var b = Drive(interrupted, 1, 6, tellUpTo: 4);
        Assert.Equal(a, b);
        Assert.Equal(6 + 4, saved.Count);

        // Trials 5 and 6 are still in flight when the search stops; the resumed proposer is told their results.
        var resumed = new StrategyProposer(new RegularizedEvolution(Macro, 99, populationSize: 3, sampleSize: 2));
        resumed.LoadState(saved[^1]);
        foreach (var proposer in new[] { straight, resumed })
        {
            proposer.Tell(5, TrialEndState.Completed, 0.5);
            proposer.Tell(6, TrialEndState.Completed, 0.6);
        }

        Assert.Equal(Drive(straight, 7, 8, tellUpTo: 14), Drive(resumed, 7, 8, tellUpTo: 14));
    }

    [Fact]
    public void A_state_of_another_strategy_is_refused()
    {
        var evolution = new StrategyProposer(new RegularizedEvolution(Macro, 1));
        var random = new StrategyProposer(new RandomSearch(Macro, 1));

        var error = Assert.Throws<ArgumentException>(() => evolution.LoadState(random.SaveState()));

        Assert.Contains("'random'", error.Message);
    }

    [Fact]
    public async Task A_search_over_the_sqlite_store_tells_the_strategy_every_trial_and_stores_its_state()
    {
        using var database = new TestDatabase();
        await using var store = await ExperimentStore.OpenSqliteAsync(database.Path_);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("evolution", "fashion-mnist", "{}", "macro-cnn", "{}", "evolution", "fifo", "{}", 2));
        var ledger = new ExperimentStoreLedger(store);
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1));
        var strategy = new RegularizedEvolution(Macro, 2, populationSize: 3, sampleSize: 2);
        var proposer = new StrategyProposer(strategy, new ComplexityGuard(Macro, 1, 10, 28, 28), StrategyProposer.SaveTo(store, experiment.Id));
        TrialWorker? worker = null;
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = experiment.Id,
            Proposer = proposer,
            EarlyStopping = new FifoScheduler(40),
            Budget = new SearchBudget(MaxTrials: 6),
            Concurrency = 2,
        }, ledger, Workers.Dispatcher(database));
        await using (worker = new TrialWorker(Workers.Options(database, "w1", slots: 2), ledger, runner, coordinator))
        {
            await worker.StartAsync();
            var summary = await coordinator.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(6, summary.Completed);
            var trials = await store.ListTrialsAsync(experiment.Id);
            Assert.Equal(6, trials.Count);
            foreach (var trial in trials)
            {
                var sample = SearchSample.FromJson(trial.HyperparametersJson);
                Macro.Validate(sample);
                Assert.Equal(sample.GetInt32(SpaceLabels.Epochs), trial.EpochsDone);
                Assert.True(trial.ParameterCount > 0 && trial.Flops > 0);
            }

            // Every trial's result reached the strategy (a told trial leaves the map), and the living members are
            // stored trials with their stored scores.
            Assert.All(trials, t => Assert.Null(proposer.SampleOf((int)t.Number)));
            Assert.Equal(3, strategy.Population.Count);
            Assert.All(strategy.Population, m => Assert.Contains(trials,
                t => t.HyperparametersJson == m.Sample.ToCanonicalJson() && t.BestValidationAccuracy == m.Score));
            var restored = new StrategyProposer(new RegularizedEvolution(Macro, 0, populationSize: 3, sampleSize: 2));
            restored.LoadState(await store.LoadStrategyStateAsync(experiment.Id));
            Assert.Equal(proposer.SaveState(), restored.SaveState());
        }
    }

    // Proposes trials first..last, adding each under its number, and tells trials up to tellUpTo as they are added.
    private static List<string> Drive(StrategyProposer proposer, int first, int last, int tellUpTo)
    {
        var hashes = new List<string>();
        for (var number = first; number <= last; number++)
        {
            var proposal = proposer.Propose()!;
            hashes.Add(proposal.HyperparametersJson);
            proposer.Added(number, proposal);
            if (number <= tellUpTo)
            {
                proposer.Tell(number, TrialEndState.Completed, number % 3 / 3.0);
            }
        }

        return hashes;
    }

    private static List<SearchSample> Points(SearchSpace space, int count)
    {
        var random = new SearchRandom(42);
        return [.. Enumerable.Range(0, count).Select(_ => space.Sample(random))];
    }
}
