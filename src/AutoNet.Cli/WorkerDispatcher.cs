using AutoNet.Scheduling;
using AutoNet.Scheduling.Jobs;
using Hangfire;

namespace AutoNet.Cli;

/// <summary>
/// Dispatches a search's trials as Hangfire jobs on the queue of the search's device kind, in the store's job storage
/// (the same one the search's own worker and, on PostgreSQL, every other machine's workers read).
/// </summary>
internal sealed class WorkerDispatcher(JobStorage storage, IReadOnlyList<DeviceSlot> slots) : ITrialDispatcher
{
    private readonly HangfireTrialDispatcher dispatcher = new(storage, TrialQueues.Dispatch(slots));

    public Task DispatchAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(experimentId, trialId, trialNumber, targetEpoch, maxEpochs, cancellationToken);
}
