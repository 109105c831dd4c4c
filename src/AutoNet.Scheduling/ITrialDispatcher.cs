namespace AutoNet.Scheduling;

/// <summary>Hands one run of a trial to the workers (a Quartz job in the shared store: <see cref="Quartz.QuartzTrialDispatcher"/>).</summary>
public interface ITrialDispatcher
{
    Task DispatchAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, CancellationToken cancellationToken);
}
