using System.Collections.Concurrent;
using System.Diagnostics;
using AutoNet.Scheduling;
using AutoNet.Training;

namespace AutoNet.Experiments.SchedulingOverhead;

/// <summary>A trial that trains one epoch in no time: every millisecond the bench measures is scheduling.</summary>
internal sealed class InstantRunner(Timeline timeline) : ITrialRunner
{
    public Task<TrialRunOutcome> RunAsync(TrialAssignment assignment, ITrialProgress progress, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() =>
        {
            timeline.Started(assignment.TrialId, assignment.Slot.Name);
            var metrics = new EpochMetrics(1, 0.5, 0.5, 0.5, 0.5, null, 0.1, 0, 0);
            progress.OnEpochCompleted(metrics);
            var outcome = new TrialRunOutcome(1, TrainingStopReason.ReachedTarget, [metrics], 1, 0.5);
            timeline.Finished(assignment.Slot.Name);
            return outcome;
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
