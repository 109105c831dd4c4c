using Hangfire;

namespace AutoNet.Scheduling.Jobs;

/// <summary>Gives every trial job of a Hangfire server that worker's store, runner and slots.</summary>
internal sealed class TrialJobActivator(TrialWorker worker) : JobActivator
{
    public override object ActivateJob(Type jobType) => jobType == typeof(TrialJob)
        ? new TrialJob(worker)
        : throw new InvalidOperationException($"worker {worker.OwnerId} runs trial jobs only; got {jobType}");
}
