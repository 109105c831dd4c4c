using AutoNet.Scheduling.Search;
using AutoNet.Scheduling.Store;
using AutoNet.Search.MultiFidelity;
using AutoNet.Store;

namespace AutoNet.Scheduling.Tests;

/// <summary>The real experiment store under the scheduler: Quartz's tables and the store's in one SQLite file.</summary>
public sealed class ExperimentStoreLedgerTests
{
    [Fact]
    public async Task An_asha_search_over_the_sqlite_store_records_every_trial_once_with_its_epochs()
    {
        using var database = new TestDatabase();
        await using var store = await ExperimentStore.OpenSqliteAsync(database.Path_);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("asha", "fashion-mnist", "{}", "tiny", "{}", "random", "asha", "{}", 1));
        var ledger = new ExperimentStoreLedger(store);
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1));
        TrialWorker? worker = null;
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = experiment.Id,
            Proposer = new StoreProposer(),
            EarlyStopping = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3),
            Budget = new SearchBudget(MaxTrials: 12),
            Concurrency = 2,
        }, ledger, Workers.Dispatcher(database));
        await using (worker = new TrialWorker(Workers.Options(database, "w1", slots: 2), ledger, runner, coordinator))
        {
            await worker.StartAsync();
            SearchSummary summary;
            try
            {
                // Seconds when the machine is quiet. The limit is generous because Quartz and the store share one SQLite
                // file: on a loaded machine every busy write makes Quartz wait out its 1 s retry interval.
                summary = await coordinator.RunAsync().WaitAsync(TimeSpan.FromMinutes(4));
            }
            catch (TimeoutException)
            {
                // Seen in full-suite runs under load and not reproduced alone: the failure message carries the state
                // (the suite's summary shows only the message), so the next occurrence says where the search stood.
                var states = (await store.ListTrialsAsync(experiment.Id))
                    .Select(t => $"t{t.Number} {t.State} epochs {t.EpochsDone} worker {t.WorkerId ?? "-"} attempts {t.Attempts}");
                var runs = runner.Runs.Select(r => $"t{r.TrialId}#{r.Attempt}@{r.Slot}");
                Assert.Fail($"the search did not end within 4 minutes; trials: {string.Join(", ", states)}; runs: {string.Join(", ", runs)}");
                return;
            }

            var trials = await store.ListTrialsAsync(experiment.Id);
            Assert.Equal(12, trials.Count);
            Assert.All(trials, t => Assert.True(t.IsFinished));
            Assert.Equal(summary.Completed, trials.Count(t => t.State == TrialState.Completed));
            Assert.Equal(summary.Pruned, trials.Count(t => t.State == TrialState.Pruned));
            Assert.True(summary.Completed >= 1);
            foreach (var trial in trials)
            {
                var epochs = await store.GetEpochMetricsAsync(trial.Id);
                Assert.Equal(Enumerable.Range(1, (int)trial.EpochsDone), epochs.Select(e => e.Epoch));
            }

            Assert.Equal(trials.Max(t => t.BestValidationAccuracy), summary.Best!.ValidationAccuracy);
            Assert.Equal(0, runner.Overlaps);
        }
    }

    [Fact]
    public async Task A_claim_takes_a_waiting_or_stale_trial_and_refuses_a_live_or_finished_one()
    {
        using var database = new TestDatabase();
        await using var store = await ExperimentStore.OpenSqliteAsync(database.Path_);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("claims", "d", "{}", "s", "{}", "random", "fifo", "{}", 1));
        var ledger = new ExperimentStoreLedger(store);
        var (id, _) = await ledger.AddTrialAsync(experiment.Id, new TrialProposal("{}", "g", """{"epochs":2}""", 2), default);

        var first = await ledger.ClaimAsync(id, "a#1", "cpu", TimeSpan.FromMinutes(1), default);
        var live = await ledger.ClaimAsync(id, "b#1", "cpu", TimeSpan.FromMinutes(1), default);
        var takeover = await ledger.ClaimAsync(id, "b#1", "cpu", TimeSpan.Zero, default);
        var staleWriter = await ledger.ReportEpochAsync(id, "a#1", new Training.EpochMetrics(1, 1, 0.5, 1, 0.5, null, 0.1, 1, 0), default);
        await ledger.FinishAsync(id, "b#1", TrialEnd.Completed(0.9, null), default);
        var finished = await ledger.ClaimAsync(id, "c#1", "cpu", TimeSpan.Zero, default);

        Assert.Equal(TrialClaimStatus.Claimed, first.Status);
        Assert.Equal(TrialClaimStatus.HeldByLiveWorker, live.Status);
        Assert.Equal(TrialClaimStatus.Claimed, takeover.Status);
        Assert.False(staleWriter);
        Assert.Equal(TrialClaimStatus.Finished, finished.Status);
        Assert.Equal(TrialEndState.Completed, finished.EndState);
    }

    /// <summary>Proposals whose hyperparameters carry the epoch budget, as the store-backed ledger expects.</summary>
    private sealed class StoreProposer : ITrialProposer
    {
        private int proposed;

        public bool IsExhausted => false;

        public TrialProposal? Propose() => new("{}", $"genotype-{++proposed}", """{"epochs":9}""", 9);

        public void Tell(int trialNumber, TrialEndState state, double? score)
        {
        }
    }
}
