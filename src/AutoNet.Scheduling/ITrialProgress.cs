using AutoNet.Training;

namespace AutoNet.Scheduling;

/// <summary>What a trial runner tells the job while it trains, and hears back.</summary>
public interface ITrialProgress
{
    /// <summary>Called after each epoch (checkpoint written): stores the metrics and returns whether to go on.</summary>
    TrialDecision OnEpochCompleted(EpochMetrics metrics);
}
