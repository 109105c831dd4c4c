namespace AutoNet.Search.MultiFidelity;

/// <summary>What an early-stopping scheduler decides after a trial reports an epoch.</summary>
public enum TrialAction
{
    /// <summary>Keep training.</summary>
    Continue,

    /// <summary>Stop at this rung, keeping the checkpoint: the trial may be promoted and continued later.</summary>
    Pause,

    /// <summary>Stop for good: the trial is pruned.</summary>
    Stop,
}
