using System.Diagnostics;
using AutoNet.Scheduling.Search;
using AutoNet.Search.MultiFidelity;
using Xunit.Abstractions;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// The scheduling load test of issue 5: a thousand simulated trials (no training) on eight slots, the worker killed
/// at random and started again, must end with every trial in a final state exactly once, no trial run twice at
/// once, and no epoch lost. It prints the per-trial scheduling overhead; it asserts no timing.
/// </summary>
public sealed class SchedulingLoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_thousand_trials_survive_random_worker_crashes_with_nothing_lost_or_duplicated()
    {
        const int Trials = 1000;
        const int Slots = 8;
        const int Epochs = 2;
        var epochTime = TimeSpan.FromMilliseconds(2);
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(epochTime);
        var proposer = new CountingProposer(Epochs);
        TrialWorker? worker = null;
        var coordinator = new SearchCoordinator(new SearchCoordinatorOptions
        {
            ExperimentId = 1,
            Proposer = proposer,
            EarlyStopping = new FifoScheduler(Epochs),
            Budget = new SearchBudget(MaxTrials: Trials),
            Concurrency = Slots,
        }, ledger, new RestartableDispatcher(() => Volatile.Read(ref worker)));

        var random = new Random(5);
        var crashes = 0;
        TrialWorker Start() => new(Workers.Options(database, "w1", Slots), ledger, runner, coordinator);
        worker = Start();
        await worker.StartAsync();
        var clock = Stopwatch.StartNew();
        var search = coordinator.RunAsync();
        while (!search.IsCompleted)
        {
            await Task.WhenAny(search, Task.Delay(random.Next(300, 1500)));
            var snapshot = ledger.Rows();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1}s: {snapshot.Count} trials, {snapshot.Count(r => r.End is not null)} ended, {snapshot.Count(r => r.Owner is not null)} owned, crashes {crashes}");
            if (search.IsCompleted || clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                break;
            }

            // kill -9, in process: the worker stops writing mid-trial and its scheduler halts without a goodbye;
            // the replacement starts under the same instance id and Quartz recovers the interrupted trial jobs.
            var dead = worker;
            Volatile.Write(ref worker, null);
            await dead.SimulateCrashAsync();
            crashes++;
            var replacement = Start();
            await replacement.StartAsync();
            Volatile.Write(ref worker, replacement);
        }

        if (!search.IsCompleted)
        {
            foreach (var r in ledger.Rows().Where(r => r.End is null))
            {
                var runs = runner.Runs.Where(a => a.TrialId == r.Id).Select(a => $"attempt {a.Attempt} on {a.Slot}");
                output.WriteLine($"open trial {r.Id}: epochs {r.EpochsDone}, claims {r.Attempts}, owner {r.Owner}, runs [{string.Join("; ", runs)}]");
            }

            using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
            connection.Open();
            foreach (var table in new[] { "QRTZ_TRIGGERS", "QRTZ_FIRED_TRIGGERS", "QRTZ_JOB_DETAILS" })
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM {table}";
                output.WriteLine($"{table}: {command.ExecuteScalar()}");
            }

            using var states = connection.CreateCommand();
            states.CommandText = "SELECT TRIGGER_NAME, TRIGGER_STATE, NEXT_FIRE_TIME FROM QRTZ_TRIGGERS";
            using var reader = states.ExecuteReader();
            while (reader.Read())
            {
                output.WriteLine($"trigger {reader.GetString(0)} {reader.GetString(1)} {reader.GetValue(2)}");
            }
        }

        var summary = await search.WaitAsync(TimeSpan.FromSeconds(20));
        var elapsed = clock.Elapsed;
        await worker!.DisposeAsync();

        var rows = ledger.Rows();
        Assert.Equal(Trials, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(1, r.Finishes);
            Assert.Equal(TrialEndState.Completed, r.End!.State);
            Assert.Equal(Enumerable.Range(1, Epochs), r.Epochs.Keys.Order());
        });
        Assert.Equal(0, runner.Overlaps);
        Assert.Equal(Trials, summary.Completed);
        Assert.Equal(Trials, proposer.Told.Count);
        Assert.Equal(Trials, proposer.Told.Select(t => t.Number).Distinct().Count());
        Assert.True(crashes > 0, "the test never crashed a worker");

        // Slot-time not spent in a trial's own epochs: dispatch, Quartz acquisition and firing, claims, store writes,
        // and the recoveries after each crash.
        var busy = (double)Trials * Epochs * epochTime.TotalMilliseconds;
        var overhead = ((elapsed.TotalMilliseconds * Slots) - busy) / Trials;
        output.WriteLine($"{Trials} trials × {Epochs} epochs of {epochTime.TotalMilliseconds} ms on {Slots} slots, {crashes} worker crashes: " +
            $"{elapsed.TotalSeconds:F1} s, {elapsed.TotalMilliseconds / Trials:F1} ms wall per trial, " +
            $"scheduling overhead ≈ {overhead:F1} ms slot-time per trial; {runner.Runs.Count} runs, {ledger.Takeovers} takeovers, {ledger.Claims} claims");
    }
}
