namespace AutoNet.Training;

/// <summary>Why a trial failed; the scheduler retries only the transient kinds.</summary>
public enum TrialFailureKind
{
    /// <summary>The loss became NaN or infinite.</summary>
    NonFiniteLoss,

    /// <summary>The loss grew far above where it started: the run diverged.</summary>
    Diverged,

    /// <summary>The device ran out of memory (worth one retry at half the batch size).</summary>
    OutOfMemory,

    /// <summary>The architecture or hyperparameters cannot train (a genuine failure: no retry).</summary>
    InvalidConfiguration,
}
