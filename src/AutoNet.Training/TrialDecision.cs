namespace AutoNet.Training;

/// <summary>What the caller (the scheduler's early-stopping rule) decides after an epoch.</summary>
public enum TrialDecision
{
    /// <summary>Train the next epoch.</summary>
    Continue,

    /// <summary>Stop now, keeping the checkpoint: the trial may be continued later (promotion to a higher rung).</summary>
    Pause,

    /// <summary>Stop for good: the trial is pruned.</summary>
    Stop,
}
