using Quartz;

namespace AutoNet.Scheduling.Quartz;

/// <summary>Puts trial runs into Quartz's store, where any worker of the cluster may pick them up.</summary>
public static class TrialJobs
{
    /// <summary>The Quartz job group of every trial run.</summary>
    public const string Group = "autonet-trials";

    /// <summary>Schedules one run of a trial, to start after <paramref name="delay"/>.</summary>
    public static Task ScheduleAsync(IScheduler scheduler, long experimentId, long trialId, int trialNumber, int targetEpoch, int maxEpochs,
        CancellationToken cancellationToken = default) =>
        ScheduleAsync(scheduler, new TrialJobData(experimentId, trialId, trialNumber, targetEpoch, maxEpochs), TimeSpan.Zero, cancellationToken);

    internal static async Task ScheduleAsync(IScheduler scheduler, TrialJobData data, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        // A fresh key per run: a retry or a promotion is a new job, while a recovered one keeps its key.
        var name = $"e{data.ExperimentId}-t{data.TrialId}-{Guid.NewGuid():N}";
        var job = JobBuilder.Create<TrialJob>()
            .WithIdentity(name, Group)
            .RequestRecovery()
            .UsingJobData(data.ToMap())
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(name, Group)
            .ForJob(job)
            .StartAt(scheduler.TimeProvider.GetUtcNow() + delay)
            .Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
