using AutoNet.Scheduling.Jobs;
using Hangfire;

namespace AutoNet.Scheduling.Tests;

/// <summary>Worker settings scaled down for tests: fast heartbeats, failure detection and retries.</summary>
internal static class Workers
{
    public static TrialWorkerOptions Options(TestDatabase database, string workerId, int slots) => Options(database.Jobs, workerId, slots);

    public static TrialWorkerOptions Options(JobStorage storage, string workerId, int slots) => new()
    {
        WorkerId = workerId,
        Storage = storage,
        Slots = Enumerable.Range(0, slots).Select(i => new DeviceSlot($"cuda:{i}")).ToArray(),
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        StaleAfter = TimeSpan.FromMilliseconds(600),
        PollInterval = TimeSpan.FromMilliseconds(100),
        ShutdownTimeout = TimeSpan.FromSeconds(20),
        RetryPolicy = new RetryPolicy { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxTransientRetries = 2 },
    };

    /// <summary>Dispatches to the queue the test workers (CUDA slots) read first.</summary>
    public static HangfireTrialDispatcher Dispatcher(TestDatabase database) => Dispatcher(database.Jobs);

    public static HangfireTrialDispatcher Dispatcher(JobStorage storage) => new(storage, TrialQueues.Cuda);

    /// <summary>Enqueues one run of a trial, as the coordinator would (on the CUDA queue unless told otherwise).</summary>
    public static Task EnqueueAsync(TestDatabase database, long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, string queue = TrialQueues.Cuda) =>
        new HangfireTrialDispatcher(database.Jobs, queue).DispatchAsync(experimentId, trialId, trialNumber, targetEpoch, maxEpochs, CancellationToken.None);

    /// <summary>
    /// kill -9 in process: the worker's store calls stop answering (its runs write nothing more, heartbeats stop), its
    /// server stops, and once Hangfire counts it stopped the blocked calls give up, so Hangfire puts the jobs back in
    /// the queue without any state change, as a job that a dead worker held comes back once invisible no more.
    /// </summary>
    public static async Task CrashAsync(TrialWorker worker, CrashableLedger ledger)
    {
        ledger.Crash();
        var stopped = worker.StopAsync();
        await Task.Delay(200);
        ledger.Bury();
        await stopped;
        await worker.DisposeAsync();
    }

    /// <summary>Waits until every trial of the ledger has ended, failing the test after <paramref name="limit"/>.</summary>
    public static async Task WaitAllEndedAsync(InMemoryTrialLedger ledger, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (ledger.Rows().Any(r => r.End is null))
        {
            if (DateTime.UtcNow > deadline)
            {
                var open = ledger.Rows().Where(r => r.End is null).Select(r => $"{r.Id}(owner {r.Owner ?? "none"}, epochs {r.EpochsDone})");
                Assert.Fail($"trials still open after {limit}: {string.Join(", ", open.Take(20))}");
            }

            await Task.Delay(20);
        }
    }
}
