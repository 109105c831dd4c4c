namespace AutoNet.Training;

/// <summary>Why <see cref="TrialTrainer.Train"/> returned.</summary>
public enum TrainingStopReason
{
    /// <summary>The requested epoch was reached.</summary>
    ReachedTarget,

    /// <summary>The observer paused the trial (ASHA: it waits at a rung, checkpoint kept).</summary>
    Paused,

    /// <summary>The observer stopped the trial for good (pruned).</summary>
    Stopped,

    /// <summary>The caller cancelled; the last completed epoch's checkpoint stands.</summary>
    Cancelled,
}
