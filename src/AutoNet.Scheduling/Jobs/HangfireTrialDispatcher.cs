using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace AutoNet.Scheduling.Jobs;

/// <summary>Dispatches each run of a trial as a Hangfire job on one queue of the storage every worker reads.</summary>
public sealed class HangfireTrialDispatcher : ITrialDispatcher
{
    private readonly BackgroundJobClient client;
    private readonly string queue;

    public HangfireTrialDispatcher(JobStorage storage, string queue)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        // No global filters: Hangfire's default automatic retry must not run beside ours.
        client = new BackgroundJobClient(storage, new JobFilterCollection());
        this.queue = queue;
    }

    public Task DispatchAsync(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Enqueue(experimentId, trialId, trialNumber, targetEpoch, maxEpochs);
        return Task.CompletedTask;
    }

    /// <summary>Creates the job and returns its Hangfire id.</summary>
    public string Enqueue(long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs)
    {
        var job = Job.FromExpression<TrialJob>(j => j.RunAsync(experimentId, trialId, trialNumber, targetEpoch, maxEpochs, null, CancellationToken.None));
        return client.Create(job, new EnqueuedState(queue), new Dictionary<string, object> { [TrialJobParameters.Queue] = queue });
    }
}
