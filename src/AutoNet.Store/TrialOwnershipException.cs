namespace AutoNet.Store;

/// <summary>
/// A worker tried to change a trial it no longer runs: the trial finished, or it was requeued after the
/// worker's heartbeat went stale and another worker may hold it now. The worker should stop the trial.
/// </summary>
public sealed class TrialOwnershipException : ExperimentStoreException
{
    public TrialOwnershipException()
    {
    }

    public TrialOwnershipException(string message)
        : base(message)
    {
    }

    public TrialOwnershipException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
