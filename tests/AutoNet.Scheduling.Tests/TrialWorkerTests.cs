using AutoNet.Scheduling.Quartz;
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
            await TrialJobs.ScheduleAsync(worker.Scheduler, 1, id, number, targetEpoch: 3, maxEpochs: 3);
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
}
