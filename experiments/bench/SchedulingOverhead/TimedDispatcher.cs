using AutoNet.Scheduling;

namespace AutoNet.Experiments.SchedulingOverhead;

/// <summary>Notes when each run is handed to Hangfire, then hands it over.</summary>
internal sealed class TimedDispatcher(ITrialDispatcher inner, Timeline timeline) : ITrialDispatcher
{
    public Task DispatchAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, CancellationToken cancellationToken)
    {
        timeline.Enqueued(trialId);
        return inner.DispatchAsync(experimentId, trialId, trialNumber, targetEpoch, maxEpochs, cancellationToken);
    }
}
