namespace AutoNet.Scheduling;

/// <summary>Hands one run of a trial to the workers (a Hangfire job on the queue every worker reads: <see cref="Jobs.HangfireTrialDispatcher"/>).</summary>
public interface ITrialDispatcher
{
    Task DispatchAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, CancellationToken cancellationToken);
}
