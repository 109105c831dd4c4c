using System.Collections.Concurrent;
using System.Diagnostics;
using AutoNet.Scheduling.Jobs;
using AutoNet.Scheduling.Search;
using AutoNet.Scheduling.Store;
using AutoNet.Search.MultiFidelity;
using AutoNet.Store;
using Hangfire;
using Xunit.Abstractions;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// A thousand simulated trials (no training) on eight slots — four workers of two — over AutoNet.Store on each
/// engine, with the queue each engine uses (in memory beside an embedded store, Hangfire.PostgreSql beside a
/// PostgreSQL one). Workers are killed at random and replaced: a killed worker writes nothing more, its trials stay
/// Running under its stale heartbeat, and its jobs come back to the queue. Every trial must end Completed exactly
/// once with both epochs stored, no trial may train twice at once, and the coordinator must hear of each once. It
/// prints the scheduling overhead per trial; it asserts no timing.
/// </summary>
public sealed class SchedulingLoadTests(ITestOutputHelper output)
{
    private const int Trials = 1000;
    private const int Epochs = 2;
    private const int WorkerCount = 4;
    private const int SlotsEach = 2;

    [Fact]
    public async Task A_thousand_trials_survive_random_worker_kills_on_sqlite()
    {
        using var database = new TestDatabase();
        await using var store = await ExperimentStore.OpenSqliteAsync(database.Path_);
        await RunAsync(store, database.Jobs, "SQLite");
    }

    [Fact]
    public async Task A_thousand_trials_survive_random_worker_kills_on_litedb()
    {
        using var database = new TestDatabase();
        await using var store = await ExperimentStore.OpenLiteDbAsync(Path.Combine(database.Directory, "experiments.litedb"));
        await RunAsync(store, database.Jobs, "LiteDB");
    }

    [PostgresFact]
    public async Task A_thousand_trials_survive_random_worker_kills_on_postgres()
    {
        using var server = PostgresServer.Start();
        await using var store = await ExperimentStore.OpenPostgresAsync(server.ConnectionString);
        // A killed worker's job is visible again two seconds after its last keep-alive (30 s in production).
        var jobs = TrialJobStorage.Postgres(server.ConnectionString, invisibilityTimeout: TimeSpan.FromSeconds(2), pollInterval: TimeSpan.FromMilliseconds(100),
            lockTimeout: TimeSpan.FromSeconds(3));
        await RunAsync(store, jobs, "PostgreSQL");
    }

    private async Task RunAsync(IExperimentStore store, JobStorage jobs, string engine)
    {
        var epochTime = TimeSpan.FromMilliseconds(2);
        var experiment = await store.CreateExperimentAsync(new NewExperiment("load", "d", "{}", "s", "{}", "random", "fifo", "{}", 1));
        var shared = new ExperimentStoreLedger(store);
        var finishes = new ConcurrentDictionary<long, int>();
        var runner = new SimulatedTrialRunner(epochTime);
        var proposer = new EpochsProposer(Epochs);
        var workers = new (TrialWorker Worker, CrashableLedger Ledger)?[WorkerCount];
        var next = 0;
        SearchCoordinator? coordinator = null;
        (TrialWorker, CrashableLedger) NewWorker()
        {
            var ledger = new CrashableLedger(shared, finishes);
            return (new TrialWorker(Workers.Options(jobs, $"w{++next}", SlotsEach), ledger, runner, coordinator), ledger);
        }

        coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = experiment.Id,
            Proposer = proposer,
            EarlyStopping = new FifoScheduler(Epochs),
            Budget = new SearchBudget(MaxTrials: Trials),
            Concurrency = WorkerCount * SlotsEach,
        }, shared, Workers.Dispatcher(jobs));
        for (var i = 0; i < WorkerCount; i++)
        {
            workers[i] = NewWorker();
            await workers[i]!.Value.Worker.StartAsync();
        }

        var random = new Random(5);
        var kills = 0;
        var clock = Stopwatch.StartNew();
        var search = coordinator.RunAsync();
        while (!search.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.WhenAny(search, Task.Delay(random.Next(500, 2000)));
            if (search.IsCompleted)
            {
                break;
            }

            var victim = random.Next(WorkerCount);
            var (dead, deadLedger) = workers[victim]!.Value;
            await Workers.CrashAsync(dead, deadLedger);
            kills++;
            workers[victim] = NewWorker();
            await workers[victim]!.Value.Worker.StartAsync();
            var trials = await store.ListTrialsAsync(experiment.Id);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s: killed {dead.OwnerId}; {trials.Count(t => t.IsFinished)}/{trials.Count} ended");
        }

        if (!search.IsCompleted)
        {
            var open = (await store.ListTrialsAsync(experiment.Id)).Where(t => !t.IsFinished).ToList();
            foreach (var t in open)
            {
                output.WriteLine($"open trial {t.Id}: {t.State}, owner {t.WorkerId}, epochs {t.EpochsDone}, claims {t.Attempts}, unended runs {t.UnendedRuns}");
            }

            foreach (var line in JobDiagnostics.Describe(jobs, open.Select(t => t.Id).ToHashSet()))
            {
                output.WriteLine(line);
            }
        }

        var summary = await search.WaitAsync(TimeSpan.FromSeconds(60));
        var elapsed = clock.Elapsed;
        foreach (var worker in workers)
        {
            await worker!.Value.Worker.DisposeAsync();
        }

        var stored = await store.ListTrialsAsync(experiment.Id);
        Assert.Equal(Trials, stored.Count);
        Assert.All(stored, t =>
        {
            Assert.Equal(TrialState.Completed, t.State);
            Assert.Equal(Epochs, t.EpochsDone);
        });
        Assert.All(stored, t => Assert.Equal(1, finishes.GetValueOrDefault(t.Id)));
        foreach (var trial in stored.Where(t => t.Attempts > 1).Take(50))
        {
            Assert.Equal(Enumerable.Range(1, Epochs), (await store.GetEpochMetricsAsync(trial.Id)).Select(e => e.Epoch));
        }

        Assert.Equal(0, runner.Overlaps);
        Assert.Equal(Trials, summary.Completed);
        Assert.Equal(Trials, proposer.Told.Count);
        Assert.Equal(Trials, proposer.Told.Select(t => t.Number).Distinct().Count());
        Assert.True(kills > 0, "the test never killed a worker");

        // Slot-time not spent in a trial's own epochs: dispatch, queueing, claims, store writes and the recoveries.
        var busy = (double)Trials * Epochs * epochTime.TotalMilliseconds;
        var overhead = ((elapsed.TotalMilliseconds * WorkerCount * SlotsEach) - busy) / Trials;
        output.WriteLine($"{engine}: {Trials} trials × {Epochs} epochs of {epochTime.TotalMilliseconds} ms on {WorkerCount}×{SlotsEach} slots, {kills} workers killed: " +
            $"{elapsed.TotalSeconds:F1} s, {elapsed.TotalMilliseconds / Trials:F1} ms wall per trial, overhead ≈ {overhead:F1} ms slot-time per trial; " +
            $"{runner.Runs.Count} runs, {stored.Count(t => t.Attempts > 1)} trials claimed more than once");
    }
}
