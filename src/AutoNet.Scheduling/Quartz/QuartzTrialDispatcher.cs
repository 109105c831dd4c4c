using Quartz;

namespace AutoNet.Scheduling.Quartz;

/// <summary>Dispatches trial runs as Quartz jobs through any scheduler of the cluster (usually a local worker's).</summary>
public sealed class QuartzTrialDispatcher(IScheduler scheduler) : ITrialDispatcher
{
    public Task DispatchAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, CancellationToken cancellationToken) =>
        TrialJobs.ScheduleAsync(scheduler, experimentId, trialId, trialNumber, targetEpoch, maxEpochs, cancellationToken);
}
