using AutoNet.Scheduling;
using AutoNet.Scheduling.Quartz;

namespace AutoNet.Cli;

/// <summary>
/// Dispatches through the local worker's scheduler. The coordinator is the worker's event sink and the worker is the
/// coordinator's dispatcher, so one of the two is handed over after both exist.
/// </summary>
internal sealed class WorkerDispatcher : ITrialDispatcher
{
    public TrialWorker? Worker { get; set; }

    public Task DispatchAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, CancellationToken cancellationToken)
    {
        var worker = Worker ?? throw new InvalidOperationException("the search's worker has not started");
        return new QuartzTrialDispatcher(worker.Scheduler).DispatchAsync(experimentId, trialId, trialNumber, targetEpoch, maxEpochs, cancellationToken);
    }
}
