using AutoNet.Scheduling.Search;
using AutoNet.Search.MultiFidelity;

namespace AutoNet.Scheduling.Tests;

public sealed class SearchCoordinatorTests
{
    [Fact]
    public async Task An_asha_search_promotes_from_checkpoints_prunes_the_rest_and_ends_every_trial_once()
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1));
        var proposer = new CountingProposer(maxEpochs: 9);
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3);
        TrialWorker? worker = null;
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = proposer,
            EarlyStopping = asha,
            Budget = new SearchBudget(MaxTrials: 18),
            Concurrency = 2,
        }, ledger, Workers.Dispatcher(database));
        await using (worker = new TrialWorker(Workers.Options(database, "w1", slots: 2), ledger, runner, coordinator))
        {
            await worker.StartAsync();
            var summary = await coordinator.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

            var rows = ledger.Rows();
            Assert.Equal(18, rows.Count);
            Assert.All(rows, r => Assert.Equal(1, r.Finishes));
            Assert.Equal(summary.Completed, rows.Count(r => r.End!.State == TrialEndState.Completed));
            Assert.Equal(summary.Pruned, rows.Count(r => r.End!.State == TrialEndState.Pruned));
            Assert.True(summary.Completed >= 1);
            Assert.True(summary.Pruned >= 9);
            // Promoted trials continued from their checkpoint: no epoch was ever trained twice.
            Assert.Equal(rows.Sum(r => r.EpochsDone), summary.EpochsTrained);
            Assert.All(rows, r => Assert.Equal(Enumerable.Range(1, r.EpochsDone), r.Epochs.Keys.Order()));
            var bestRow = rows.MaxBy(r => r.Best)!;
            Assert.Equal(bestRow.Best, summary.Best!.ValidationAccuracy);
            Assert.Equal(18, proposer.Told.Count);
            Assert.Equal(0, runner.Overlaps);
        }
    }

    [Fact]
    public async Task The_epoch_budget_stops_the_search_and_leaves_no_trial_open()
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1));
        TrialWorker? worker = null;
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = new CountingProposer(maxEpochs: 4),
            EarlyStopping = new FifoScheduler(4),
            Budget = new SearchBudget(MaxEpochs: 20),
            Concurrency = 3,
        }, ledger, Workers.Dispatcher(database));
        await using (worker = new TrialWorker(Workers.Options(database, "w1", slots: 3), ledger, runner, coordinator))
        {
            await worker.StartAsync();
            var summary = await coordinator.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.InRange(summary.EpochsTrained, 20, 22);
            Assert.All(ledger.Rows(), r => Assert.Equal(1, r.Finishes));
            Assert.Contains(ledger.Rows(), r => r.End!.State == TrialEndState.Pruned && r.End.Reason!.Contains("budget"));
        }
    }

    [Fact]
    public async Task Ctrl_c_leaves_unfinished_trials_waiting_with_their_epochs_and_a_resumed_search_completes_each_once()
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(25));
        SearchCoordinator Coordinator(Func<TrialWorker?> worker) => new(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = new CountingProposer(maxEpochs: 5),
            EarlyStopping = new FifoScheduler(5),
            Budget = new SearchBudget(MaxTrials: 6),
            Concurrency = 2,
        }, ledger, Workers.Dispatcher(database));

        TrialWorker? first = null;
        var interrupted = Coordinator(() => first);
        using var ctrlC = new CancellationTokenSource();
        SearchSummary stopped;
        await using (first = new TrialWorker(Workers.Options(database, "w1", slots: 2), ledger, runner, interrupted))
        {
            await first.StartAsync();
            var search = interrupted.RunAsync(ctrlC.Token);
            while (ledger.Rows().Sum(r => r.EpochsDone) < 6)
            {
                await Task.Delay(5);
            }

            await ctrlC.CancelAsync();
            stopped = await search;
            await first.StopAsync();
        }

        Assert.True(stopped.Interrupted);
        var afterStop = ledger.Rows();
        Assert.All(afterStop, r => Assert.Null(r.Owner));
        Assert.Contains(afterStop, r => r.End is null && r.EpochsDone > 0);

        TrialWorker? second = null;
        var resumed = Coordinator(() => second);
        await using (second = new TrialWorker(Workers.Options(database, "w1", slots: 2), ledger, runner, resumed))
        {
            await second.StartAsync();
            var summary = await resumed.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.False(summary.Interrupted);
            Assert.Equal(6, summary.Completed);
        }

        var rows = ledger.Rows();
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(1, r.Finishes);
            Assert.Equal(TrialEndState.Completed, r.End!.State);
            Assert.Equal([1, 2, 3, 4, 5], r.Epochs.Keys.Order());
        });
        Assert.Equal(0, runner.Overlaps);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(9)]
    public async Task An_asha_search_interrupted_and_resumed_promotes_and_prunes_as_the_uninterrupted_one(int epochsBeforeCtrlC)
    {
        var straight = await AshaOutcomeAsync(null);
        var resumed = await AshaOutcomeAsync(epochsBeforeCtrlC);

        Assert.Contains("Completed", straight);
        Assert.Contains("Pruned", straight);
        Assert.Equal(straight, resumed);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(600, false)]
    public async Task A_resumed_search_has_only_what_is_left_of_its_wall_budget_and_stores_the_time_used(int secondsUsedBefore, bool trialsStart)
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var saved = new List<TimeSpan>();
        TrialWorker? worker = null;
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = new CountingProposer(maxEpochs: 2),
            EarlyStopping = new FifoScheduler(2),
            Budget = new SearchBudget(WallTime: TimeSpan.FromMinutes(10), MaxTrials: 2),
            Concurrency = 1,
            ElapsedBefore = TimeSpan.FromSeconds(secondsUsedBefore),
            SaveElapsed = (used, _) =>
            {
                saved.Add(used);
                return Task.CompletedTask;
            },
        }, ledger, Workers.Dispatcher(database));
        await using (worker = new TrialWorker(Workers.Options(database, "w1", slots: 1), ledger, new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1)), coordinator))
        {
            await worker.StartAsync();
            var summary = await coordinator.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(trialsStart ? 2 : 0, summary.TrialsStarted);
            Assert.Equal(trialsStart ? 2 : 0, ledger.Rows().Count);
        }

        // The time used is stored counting what was used before, and never goes back.
        Assert.NotEmpty(saved);
        Assert.True(saved[^1] >= TimeSpan.FromSeconds(secondsUsedBefore), $"last saved {saved[^1]}");
        Assert.Equal(saved.Order(), saved);
    }

    [Fact]
    public async Task Once_a_trial_has_completed_no_epoch_is_begun_that_would_end_past_the_wall_budget()
    {
        // Trial 1's epochs report 10 s, so it completes; trial 2 starts (a typical epoch, 10 s, fits), but its epochs
        // report 40 s: it is not let begin a second one, and with a typical epoch now of 40 s no third trial starts.
        var (summary, rows) = await RunWithThirtySecondsLeftAsync(number => number == 1 ? 10 : 40);

        Assert.Equal(2, summary.TrialsStarted);
        Assert.Equal(1, summary.Completed);
        Assert.Equal(1, summary.Pruned);
        Assert.Equal((TrialEndState.Completed, 2), (rows[0].End!.State, rows[0].EpochsDone));
        Assert.Equal((TrialEndState.Pruned, 1), (rows[1].End!.State, rows[1].EpochsDone));
        Assert.Contains("no room for another epoch after epoch 1", rows[1].End!.Reason);
        Assert.All(rows, r => Assert.Equal(1, r.Finishes));
    }

    [Fact]
    public async Task Before_any_trial_has_completed_the_first_one_finishes_even_past_the_wall_budget()
    {
        // Epochs of 40 s with 30 s left: without a completed trial the search would have nothing to hand over, so
        // trial 1 trains to its full two epochs (the trust rule), and only then does the search close.
        var (summary, rows) = await RunWithThirtySecondsLeftAsync(_ => 40);

        Assert.Equal(1, summary.TrialsStarted);
        Assert.Equal(1, summary.Completed);
        Assert.Equal((TrialEndState.Completed, 2), (rows[0].End!.State, rows[0].EpochsDone));
    }

    /// <summary>
    /// A resumed FIFO search of two-epoch trials with 30 s of its 10-minute budget left, whose trials report the
    /// given epoch times; real time barely moves, so only the reported times can close it.
    /// </summary>
    private static async Task<(SearchSummary Summary, InMemoryTrialLedger.Row[] Rows)> RunWithThirtySecondsLeftAsync(Func<int, double> reportedSecondsPerEpoch)
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1)) { ReportedSecondsPerEpoch = reportedSecondsPerEpoch };
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = new CountingProposer(maxEpochs: 2),
            EarlyStopping = new FifoScheduler(2),
            Budget = new SearchBudget(WallTime: TimeSpan.FromMinutes(10)),
            Concurrency = 1,
            ElapsedBefore = TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(30),
        }, ledger, Workers.Dispatcher(database));
        await using var worker = new TrialWorker(Workers.Options(database, "w1", slots: 1), ledger, runner, coordinator);
        await worker.StartAsync();
        var summary = await coordinator.RunAsync().WaitAsync(TimeSpan.FromSeconds(25));
        return (summary, ledger.Rows().OrderBy(r => r.Number).ToArray());
    }

    /// <summary>
    /// Each trial's epochs and end after an ASHA search of nine trials on one slot, run straight through or stopped
    /// (Ctrl-C) once <paramref name="epochsBeforeCtrlC"/> epochs are stored and resumed by a new coordinator,
    /// scheduler and worker that know only the store.
    /// </summary>
    private static async Task<string> AshaOutcomeAsync(int? epochsBeforeCtrlC)
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(10));
        SearchCoordinator Coordinator(Func<TrialWorker?> worker) => new(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = new CountingProposer(maxEpochs: 9),
            EarlyStopping = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3),
            Budget = new SearchBudget(MaxTrials: 9),
            Concurrency = 1,
        }, ledger, Workers.Dispatcher(database));

        if (epochsBeforeCtrlC is { } limit)
        {
            TrialWorker? first = null;
            var interrupted = Coordinator(() => first);
            using var ctrlC = new CancellationTokenSource();
            await using (first = new TrialWorker(Workers.Options(database, "w1", slots: 1), ledger, runner, interrupted))
            {
                await first.StartAsync();
                var search = interrupted.RunAsync(ctrlC.Token);
                while (ledger.Rows().Sum(r => r.EpochsDone) < limit && !search.IsCompleted)
                {
                    await Task.Delay(2);
                }

                await ctrlC.CancelAsync();
                Assert.True((await search.WaitAsync(TimeSpan.FromSeconds(60))).Interrupted);
                await first.StopAsync();
            }
        }

        TrialWorker? worker = null;
        var coordinator = Coordinator(() => worker);
        await using (worker = new TrialWorker(Workers.Options(database, "w1", slots: 1), ledger, runner, coordinator))
        {
            await worker.StartAsync();
            Assert.False((await coordinator.RunAsync().WaitAsync(TimeSpan.FromSeconds(60))).Interrupted);
        }

        var rows = ledger.Rows().OrderBy(r => r.Number).ToArray();
        Assert.All(rows, r => Assert.Equal(1, r.Finishes));
        Assert.Equal(0, runner.Overlaps);
        return string.Join("; ", rows.Select(r => $"trial {r.Number}: {r.EpochsDone} epochs, {r.End!.State}"));
    }

    [Fact]
    public async Task A_coordinator_follows_workers_of_other_processes_through_the_store()
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1));
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3);
        TrialWorker? worker = null;
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = new CountingProposer(maxEpochs: 9),
            EarlyStopping = asha,
            Budget = new SearchBudget(MaxTrials: 12),
            Concurrency = 2,
            PollInterval = TimeSpan.FromMilliseconds(20),
        }, ledger, Workers.Dispatcher(database));
        // No event sink: like `autonet worker` on another machine, the worker only writes to the store.
        await using (worker = new TrialWorker(Workers.Options(database, "remote", slots: 2), ledger, runner))
        {
            await worker.StartAsync();
            var summary = await coordinator.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

            var rows = ledger.Rows();
            Assert.Equal(12, rows.Count);
            Assert.All(rows, r => Assert.Equal(1, r.Finishes));
            Assert.True(summary.Completed >= 1);
            Assert.Equal(12, summary.Completed + summary.Pruned);
            Assert.Contains(rows, r => r.EpochsDone == 3);
            Assert.Equal(rows.Sum(r => r.EpochsDone), summary.EpochsTrained);
            Assert.Equal(rows.Max(r => r.Best), summary.Best!.ValidationAccuracy);
        }
    }

    [Fact]
    public async Task The_median_stopping_rule_prunes_running_trials_through_the_epoch_decision()
    {
        var (summary, rows) = await RunAsync(new MedianStoppingRule(maxEpochs: 4, gracePeriod: 1, minTrials: 2), new SearchBudget(MaxTrials: 12), concurrency: 1);

        Assert.All(rows, r => Assert.Equal(1, r.Finishes));
        var stopped = rows.Where(r => r.End!.State == TrialEndState.Pruned).ToArray();
        Assert.NotEmpty(stopped);
        Assert.All(stopped, r => Assert.Contains("stopped by the early-stopping scheduler", r.End!.Reason));
        Assert.All(stopped, r => Assert.InRange(r.EpochsDone, 2, 3));
        Assert.Equal(12, summary.Completed + summary.Pruned);
    }

    [Fact]
    public async Task The_wall_time_budget_ends_the_search_with_every_trial_closed()
    {
        var (summary, rows) = await RunAsync(new FifoScheduler(1000), new SearchBudget(WallTime: TimeSpan.FromMilliseconds(300)), concurrency: 2);

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(1, r.Finishes));
        Assert.All(rows, r => Assert.Equal(TrialEndState.Pruned, r.End!.State));
        Assert.False(summary.Interrupted);
    }

    [Fact]
    public async Task A_search_of_fewer_trials_than_a_rung_needs_still_finishes_its_best_trial()
    {
        // Two trials, η = 3: ASHA's quota at the first rung is ⌊2/3⌋ = 0, which used to prune both after one epoch.
        var (summary, rows) = await RunAsync(new AshaScheduler(minEpochs: 1, maxEpochs: 4, reductionFactor: 3), new SearchBudget(MaxTrials: 2), concurrency: 1);

        Assert.Equal(1, summary.Completed);
        Assert.Equal(1, summary.Pruned);
        var best = rows.MaxBy(r => SimulatedTrialRunner.Score(r.Number, 1))!;
        Assert.Equal(TrialEndState.Completed, best.End!.State);
        Assert.Equal(4, best.EpochsDone);
        Assert.All(rows, r => Assert.Equal(1, r.Finishes));
    }

    [Fact]
    public async Task When_the_budget_left_only_covers_finishing_a_survivor_no_new_trial_starts()
    {
        // 14 epochs in all, trials of 9: ASHA alone spends them on first rungs and completes none.
        var (summary, rows) = await RunAsync(new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3), new SearchBudget(MaxEpochs: 14), concurrency: 1,
            maxEpochs: 9);

        Assert.Equal(1, summary.Completed);
        Assert.Contains(rows, r => r.End!.State == TrialEndState.Completed && r.EpochsDone == 9);
        Assert.InRange(summary.EpochsTrained, 9, 14);
        Assert.All(rows, r => Assert.Equal(1, r.Finishes));
    }

    private static async Task<(SearchSummary Summary, IReadOnlyList<InMemoryTrialLedger.Row> Rows)> RunAsync(ITrialScheduler earlyStopping, SearchBudget budget, int concurrency,
        int? maxEpochs = null)
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(2));
        TrialWorker? worker = null;
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = new CountingProposer(maxEpochs: maxEpochs ?? (earlyStopping is FifoScheduler fifo ? fifo.FirstTarget : 4)),
            EarlyStopping = earlyStopping,
            Budget = budget,
            Concurrency = concurrency,
        }, ledger, Workers.Dispatcher(database));
        await using (worker = new TrialWorker(Workers.Options(database, "w1", slots: concurrency), ledger, runner, coordinator))
        {
            await worker.StartAsync();
            var summary = await coordinator.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (summary, ledger.Rows());
        }
    }
}
