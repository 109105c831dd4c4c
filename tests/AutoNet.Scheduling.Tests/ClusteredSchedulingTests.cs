using System.Diagnostics;
using AutoNet.Scheduling.Quartz;
using AutoNet.Scheduling.Search;
using AutoNet.Scheduling.Store;
using AutoNet.Store;
using AutoNet.Search.MultiFidelity;
using Xunit.Abstractions;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// Many workers on one PostgreSQL job store, clustered: four workers of two slots each take trials from one
/// coordinator; workers are killed at random and replaced by new ones (new instance ids), so a dead worker's trials
/// must be recovered by the others (Quartz cluster recovery, then the store's stale-heartbeat takeover).
/// </summary>
public sealed class ClusteredSchedulingTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Trials_of_killed_workers_are_recovered_by_the_others_with_nothing_lost_or_duplicated()
    {
        const int Trials = 1000;
        const int Epochs = 2;
        const int WorkerCount = 4;
        const int SlotsEach = 2;
        var epochTime = TimeSpan.FromMilliseconds(2);
        using var server = PostgresServer.Start();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(epochTime);
        var proposer = new CountingProposer(Epochs);
        var workers = new TrialWorker?[WorkerCount];
        var next = 0;
        SearchCoordinator? coordinator = null;
        TrialWorker NewWorker() => new(Workers.Options(QuartzProvider.Postgres, server.ConnectionString, $"w{++next}", SlotsEach), ledger, runner, coordinator);
        coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = proposer,
            EarlyStopping = new FifoScheduler(Epochs),
            Budget = new SearchBudget(MaxTrials: Trials),
            Concurrency = WorkerCount * SlotsEach,
        }, ledger, new RestartableDispatcher(() => workers.FirstOrDefault(w => w is not null)));
        for (var i = 0; i < WorkerCount; i++)
        {
            workers[i] = NewWorker();
            await workers[i]!.StartAsync();
        }

        var random = new Random(11);
        var crashes = 0;
        var clock = Stopwatch.StartNew();
        var search = coordinator.RunAsync();
        while (!search.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.WhenAny(search, Task.Delay(random.Next(500, 2000)));
            if (search.IsCompleted)
            {
                break;
            }

            var victim = random.Next(WorkerCount);
            var dead = workers[victim]!;
            workers[victim] = null;
            await dead.SimulateCrashAsync();
            crashes++;
            var replacement = NewWorker();
            await replacement.StartAsync();
            workers[victim] = replacement;
            var rows = ledger.Rows();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s: killed {dead.Options.WorkerId}, {rows.Count(r => r.End is not null)}/{rows.Count} ended");
        }

        var summary = await search.WaitAsync(TimeSpan.FromSeconds(30));
        var elapsed = clock.Elapsed;
        foreach (var worker in workers)
        {
            await worker!.DisposeAsync();
        }

        var ended = ledger.Rows();
        Assert.Equal(Trials, ended.Count);
        Assert.All(ended, r =>
        {
            Assert.Equal(1, r.Finishes);
            Assert.Equal(TrialEndState.Completed, r.End!.State);
            Assert.Equal(Enumerable.Range(1, Epochs), r.Epochs.Keys.Order());
        });
        Assert.Equal(0, runner.Overlaps);
        Assert.Equal(Trials, summary.Completed);
        Assert.True(crashes > 0, "the test never killed a worker");
        var overhead = ((elapsed.TotalMilliseconds * WorkerCount * SlotsEach) - (Trials * Epochs * epochTime.TotalMilliseconds)) / Trials;
        output.WriteLine($"{Trials} trials on {WorkerCount}×{SlotsEach} slots (PostgreSQL, clustered), {crashes} workers killed: {elapsed.TotalSeconds:F1} s, " +
            $"{elapsed.TotalMilliseconds / Trials:F1} ms wall per trial, scheduling overhead ≈ {overhead:F1} ms slot-time per trial; " +
            $"{runner.Runs.Count} runs, {ledger.Takeovers} takeovers of a dead worker's trial");
    }

    [PostgresFact]
    public async Task Over_the_real_postgres_store_killed_workers_trials_are_recovered_and_each_recorded_once()
    {
        const int Trials = 300;
        const int WorkerCount = 3;
        const int SlotsEach = 2;
        using var server = PostgresServer.Start();
        await using var store = await ExperimentStore.OpenPostgresAsync(server.ConnectionString);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("clustered", "d", "{}", "s", "{}", "random", "fifo", "{}", 1));
        var ledger = new ExperimentStoreLedger(store);
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(5));
        var workers = new TrialWorker?[WorkerCount];
        var next = 0;
        SearchCoordinator? coordinator = null;
        TrialWorker NewWorker() => new(Workers.Options(QuartzProvider.Postgres, server.ConnectionString, $"w{++next}", SlotsEach), ledger, runner, coordinator);
        coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = experiment.Id,
            Proposer = new EpochsProposer(2),
            EarlyStopping = new FifoScheduler(2),
            Budget = new SearchBudget(MaxTrials: Trials),
            Concurrency = WorkerCount * SlotsEach,
        }, ledger, new RestartableDispatcher(() => workers.FirstOrDefault(w => w is not null)));
        for (var i = 0; i < WorkerCount; i++)
        {
            workers[i] = NewWorker();
            await workers[i]!.StartAsync();
        }

        var random = new Random(13);
        var kills = 0;
        var search = coordinator.RunAsync();
        while (!search.IsCompleted && kills < 3)
        {
            await Task.WhenAny(search, Task.Delay(random.Next(500, 1500)));
            if (search.IsCompleted)
            {
                break;
            }

            var victim = random.Next(WorkerCount);
            var dead = workers[victim]!;
            workers[victim] = null;
            await dead.SimulateCrashAsync();
            kills++;
            workers[victim] = NewWorker();
            await workers[victim]!.StartAsync();
        }

        var summary = await search.WaitAsync(TimeSpan.FromSeconds(90));
        foreach (var worker in workers)
        {
            await worker!.DisposeAsync();
        }

        var trials = await store.ListTrialsAsync(experiment.Id);
        Assert.Equal(Trials, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.All(trials, t => Assert.Equal(2, t.EpochsDone));
        Assert.Equal(Trials, summary.Completed);
        Assert.Equal(0, runner.Overlaps);
        output.WriteLine($"{Trials} trials over AutoNet.Store on PostgreSQL, {kills} workers killed: {summary.Elapsed.TotalSeconds:F1} s, " +
            $"{trials.Count(t => t.Attempts > 1)} trials claimed more than once");
    }

    private sealed class EpochsProposer(int epochs) : ITrialProposer
    {
        private int proposed;

        public bool IsExhausted => false;

        public TrialProposal? Propose() => new("{}", $"genotype-{++proposed}", $$"""{"epochs":{{epochs}}}""", epochs);

        public void Tell(int trialNumber, TrialEndState state, double? score)
        {
        }
    }
}
