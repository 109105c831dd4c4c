namespace AutoNet.Store;

/// <summary>Another coordinator runs the experiment: a second one is refused, naming who holds it.</summary>
public sealed class CoordinatorLockedException : ExperimentStoreException
{
    public CoordinatorLockedException(string experimentName, string holder, string location)
        : base($"experiment '{experimentName}' in {location} is already run by {holder}: one search coordinator per experiment; stop that one first, or add this machine with `autonet worker`")
    {
        Holder = holder;
    }

    public CoordinatorLockedException()
    {
        Holder = "";
    }

    public CoordinatorLockedException(string message)
        : base(message)
    {
        Holder = "";
    }

    public CoordinatorLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Holder = "";
    }

    /// <summary>Who holds the experiment: host, process and since when, as far as the store knows.</summary>
    public string Holder { get; }
}
