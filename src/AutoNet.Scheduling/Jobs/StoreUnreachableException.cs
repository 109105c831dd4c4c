namespace AutoNet.Scheduling.Jobs;

/// <summary>
/// The store refused every heartbeat of a running trial for longer than a lease lasts: the trial stops with this
/// error instead of training on unseen (another worker may already have taken it over). It is retried as transient.
/// </summary>
public sealed class StoreUnreachableException : Exception
{
    public StoreUnreachableException()
        : base("the experiment store could not be reached")
    {
    }

    public StoreUnreachableException(string message)
        : base(message)
    {
    }

    public StoreUnreachableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
