using AutoNet.Scheduling.Quartz;
using Quartz;

namespace AutoNet.Scheduling.Tests;

/// <summary>Dispatches through whichever worker is alive now, waiting while a crashed one is being replaced.</summary>
internal sealed class RestartableDispatcher(Func<TrialWorker?> current) : ITrialDispatcher
{
    public async Task DispatchAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (current() is { } worker)
            {
                try
                {
                    await new QuartzTrialDispatcher(worker.Scheduler).DispatchAsync(experimentId, trialId, trialNumber, targetEpoch, maxEpochs, cancellationToken);
                    return;
                }
                catch (Exception e) when (e is SchedulerException or InvalidOperationException or ObjectDisposedException)
                {
                }
            }

            await Task.Delay(5, cancellationToken);
        }
    }
}
