using AutoNet.Training;

namespace AutoNet.Scheduling;

/// <summary>
/// Where a worker's trial jobs send what happens, when the search's coordinator runs in the same process (a worker
/// on another machine has none: its jobs train to the target they were given and the store carries the results).
/// The coordinator funnels both calls through one channel, so early-stopping state is touched by one thread only.
/// </summary>
public interface ITrialEventSink
{
    /// <summary>An epoch finished (its metrics are stored): the scheduler's decision whether the trial goes on.</summary>
    TrialDecision OnEpochCompleted(EpochReport report);

    /// <summary>A run of a trial ended (finished for good, paused, interrupted, or waiting for a retry).</summary>
    void OnRunEnded(TrialRunEnded ended);
}
