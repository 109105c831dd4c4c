using AutoNet.Training;

namespace AutoNet.Scheduling.Tests;

public sealed class TrialWorkerTests
{
    [Fact]
    public async Task A_worker_runs_every_scheduled_trial_to_completion_once()
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(2));
        await using var worker = new TrialWorker(Workers.Options(database, "w1", slots: 2), ledger, runner);
        await worker.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            var (id, number) = await ledger.AddTrialAsync(1, new TrialProposal("{}", $"g{i}", "{}", MaxEpochs: 3), default);
            await Workers.EnqueueAsync(database, 1, id, number, targetEpoch: 3, maxEpochs: 3);
        }

        await Workers.WaitAllEndedAsync(ledger, TimeSpan.FromSeconds(30));

        Assert.All(ledger.Rows(), r =>
        {
            Assert.Equal(TrialEndState.Completed, r.End!.State);
            Assert.Equal(1, r.Finishes);
            Assert.Equal([1, 2, 3], r.Epochs.Keys.Order());
        });
        Assert.Equal(0, runner.Overlaps);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_until_it_succeeds()
    {
        var runs = await RunOneAsync(a => a.Attempt <= 2 ? new IOException("disk hiccup") : null);

        Assert.Equal(TrialEndState.Completed, runs.Row.End!.State);
        Assert.Equal([1, 2, 3], runs.Runs.Select(r => r.Attempt));
        Assert.All(runs.Runs, r => Assert.False(r.HalveBatch));
    }

    [Fact]
    public async Task A_genuine_training_failure_fails_the_trial_after_one_run()
    {
        var runs = await RunOneAsync(_ => new TrialFailedException(TrialFailureKind.NonFiniteLoss, "loss is NaN at epoch 1"));

        Assert.Equal(TrialEndState.Failed, runs.Row.End!.State);
        Assert.Contains("NaN", runs.Row.End.Reason);
        Assert.Single(runs.Runs);
    }

    [Fact]
    public async Task Out_of_memory_is_retried_once_at_half_the_batch_size_then_fails()
    {
        var recovered = await RunOneAsync(a => a.HalveBatch ? null : new TrialFailedException(TrialFailureKind.OutOfMemory, "CUDA out of memory"));
        var hopeless = await RunOneAsync(_ => new TrialFailedException(TrialFailureKind.OutOfMemory, "CUDA out of memory"));

        Assert.Equal(TrialEndState.Completed, recovered.Row.End!.State);
        Assert.Equal([false, true], recovered.Runs.Select(r => r.HalveBatch));
        Assert.Equal(TrialEndState.Failed, hopeless.Row.End!.State);
        Assert.Equal([false, true], hopeless.Runs.Select(r => r.HalveBatch));
    }

    [Fact]
    public async Task A_run_whose_final_write_the_store_refuses_tells_no_end()
    {
        using var database = new TestDatabase();
        var inner = new InMemoryTrialLedger();
        var ledger = new FinishRefusingLedger(inner);
        var events = new RecordingEventSink();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1))
        {
            Failure = a => a.TrialNumber == 3 ? new TrialFailedException(TrialFailureKind.NonFiniteLoss, "loss is NaN at epoch 1") : null,
        };
        await using (var worker = new TrialWorker(Workers.Options(database, "w1", slots: 2), ledger, runner, events))
        {
            await worker.StartAsync();
            // Trial 1 completes, trial 2 pauses at a rung, trial 3 fails for good: three different final writes.
            foreach (var (target, max) in new[] { (2, 2), (1, 3), (2, 2) })
            {
                var (id, number) = await ledger.AddTrialAsync(1, new TrialProposal("{}", $"g{target}{max}", "{}", MaxEpochs: max), default);
                await Workers.EnqueueAsync(database, 1, id, number, targetEpoch: target, maxEpochs: max);
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (ledger.Refused < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }

        Assert.True(ledger.Refused == 3, $"{ledger.Refused} final writes refused; trials: {string.Join(", ", inner.Rows().Select(r => $"{r.Id} owner {r.Owner} epochs {r.EpochsDone}"))}; runs: {string.Join(", ", runner.Runs.Select(r => $"{r.TrialNumber}/{r.Attempt}"))}");
        Assert.Empty(events.Ends);
        Assert.All(inner.Rows(), r => Assert.Null(r.End));
    }

    private static async Task<(InMemoryTrialLedger.Row Row, IReadOnlyList<TrialAssignment> Runs)> RunOneAsync(Func<TrialAssignment, Exception?> failure)
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1)) { Failure = failure };
        await using (var worker = new TrialWorker(Workers.Options(database, "w1", slots: 1), ledger, runner))
        {
            await worker.StartAsync();
            var (id, number) = await ledger.AddTrialAsync(1, new TrialProposal("{}", "g", "{}", MaxEpochs: 2), default);
            await Workers.EnqueueAsync(database, 1, id, number, targetEpoch: 2, maxEpochs: 2);
            await Workers.WaitAllEndedAsync(ledger, TimeSpan.FromSeconds(30));
        }

        var row = Assert.Single(ledger.Rows());
        Assert.Equal(1, row.Finishes);
        return (row, runner.Runs.ToArray());
    }
}
