using AutoNet.Scheduling.Jobs;

namespace AutoNet.Scheduling.Tests;

/// <summary>
/// How a trial job behaves when things around it fail: a trial whose worker keeps dying, a store that takes no
/// heartbeat, a retry after a delay on a queue other than Hangfire's default.
/// </summary>
public sealed class TrialJobRecoveryTests
{
    [Fact]
    public async Task A_trial_whose_worker_died_in_each_of_its_last_runs_fails_at_the_limit_instead_of_running_again()
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1));
        var (id, number) = await ledger.AddTrialAsync(1, new TrialProposal("{}", "g", "{}", MaxEpochs: 2), default);
        // Three runs claimed the trial and never ended: each one's process died (a kill, or the trial killing it).
        for (var dead = 1; dead <= 3; dead++)
        {
            Assert.Equal(TrialClaimStatus.Claimed, (await ledger.ClaimAsync(id, $"dead-{dead}", "cuda:0", TimeSpan.Zero, default)).Status);
        }

        await using (var worker = new TrialWorker(Workers.Options(database, "w1", slots: 1) with { MaxUnendedRuns = 3 }, ledger, runner))
        {
            await worker.StartAsync();
            await Workers.EnqueueAsync(database, 1, id, number, targetEpoch: 2, maxEpochs: 2);
            await Workers.WaitAllEndedAsync(ledger, TimeSpan.FromSeconds(30));
        }

        var row = Assert.Single(ledger.Rows());
        Assert.Equal(TrialEndState.Failed, row.End!.State);
        Assert.Contains("died during each of its last 3 runs", row.End.Reason);
        Assert.Empty(runner.Runs);
    }

    [Fact]
    public async Task A_run_whose_heartbeats_the_store_refuses_for_a_lease_stops_with_that_error_and_is_retried_then_failed()
    {
        using var database = new TestDatabase();
        var inner = new InMemoryTrialLedger();
        var ledger = new HeartbeatFailingLedger(inner);
        // Each run resumes from the last one's checkpoint, and trains 100 ms epochs until its lease of 600 ms runs out
        // (6 or 7 epochs, as the heartbeats fall): three runs must stay well short of the trial's 60 epochs, or the
        // last one completes it (with 20 epochs, three runs of 7 did, on a fast machine).
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(100));
        await using (var worker = new TrialWorker(Workers.Options(database, "w1", slots: 1), ledger, runner))
        {
            await worker.StartAsync();
            var (id, number) = await inner.AddTrialAsync(1, new TrialProposal("{}", "g", "{}", MaxEpochs: 60), default);
            await Workers.EnqueueAsync(database, 1, id, number, targetEpoch: 60, maxEpochs: 60);
            await Workers.WaitAllEndedAsync(inner, TimeSpan.FromSeconds(60));
        }

        var row = Assert.Single(inner.Rows());
        Assert.Equal(TrialEndState.Failed, row.End!.State);
        Assert.Contains("StoreUnreachableException after 2 retries", row.End.Reason);
        Assert.Contains("took no heartbeat", row.End.Reason);
        Assert.Equal(3, runner.Runs.Count);
        Assert.True(row.EpochsDone < 60, $"a run trained on unseen to epoch {row.EpochsDone}");
    }

    [Fact]
    public async Task A_retry_after_a_delay_goes_back_to_the_queue_it_was_dispatched_to()
    {
        using var database = new TestDatabase();
        var ledger = new InMemoryTrialLedger();
        var runner = new SimulatedTrialRunner(TimeSpan.FromMilliseconds(1)) { Failure = a => a.Attempt == 1 ? new IOException("disk hiccup") : null };
        // A CPU worker listens to the cpu queue only: a retry that landed on Hangfire's "default" queue would never run.
        await using (var worker = new TrialWorker(Workers.Options(database, "w1", slots: 1) with { Slots = [new DeviceSlot("cpu")] }, ledger, runner))
        {
            await worker.StartAsync();
            var (id, number) = await ledger.AddTrialAsync(1, new TrialProposal("{}", "g", "{}", MaxEpochs: 2), default);
            await Workers.EnqueueAsync(database, 1, id, number, targetEpoch: 2, maxEpochs: 2, TrialQueues.Cpu);
            await Workers.WaitAllEndedAsync(ledger, TimeSpan.FromSeconds(30));
        }

        Assert.Equal(TrialEndState.Completed, Assert.Single(ledger.Rows()).End!.State);
        Assert.Equal([1, 2], runner.Runs.Select(r => r.Attempt));
        Assert.All(runner.Runs, r => Assert.Equal("cpu", r.Slot.Name));
    }
}
