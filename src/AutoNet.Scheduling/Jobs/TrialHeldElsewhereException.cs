namespace AutoNet.Scheduling.Jobs;

/// <summary>
/// A run found its trial held by a worker whose heartbeat is fresh. <see cref="TrialRetryFilter"/> looks again once
/// that heartbeat could have gone stale, in case the holder died and its own job is gone.
/// </summary>
public sealed class TrialHeldElsewhereException : Exception
{
    public TrialHeldElsewhereException()
        : base("the trial is held by another live worker")
    {
    }

    public TrialHeldElsewhereException(string message)
        : base(message)
    {
    }

    public TrialHeldElsewhereException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
