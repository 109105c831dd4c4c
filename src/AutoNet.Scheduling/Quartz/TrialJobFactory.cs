using Quartz;
using Quartz.Extensibility;

namespace AutoNet.Scheduling.Quartz;

/// <summary>Makes every trial job of a worker with that worker's store, runner and slots.</summary>
internal sealed class TrialJobFactory(TrialWorker worker) : IJobFactory
{
    public ValueTask<JobScope> CreateJob(TriggerFiredBundle bundle, IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.JobDetail.JobType.Type != typeof(TrialJob))
        {
            throw new InvalidOperationException($"worker {worker.Options.WorkerId} runs trial jobs only; got {bundle.JobDetail.JobType}");
        }

        return ValueTask.FromResult(new JobScope(new TrialJob(worker), null));
    }

    public ValueTask ReturnJob(JobScope scope, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
