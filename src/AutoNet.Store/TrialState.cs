namespace AutoNet.Store;

/// <summary>Where a trial stands. Stored as its name.</summary>
public enum TrialState
{
    Waiting,
    Running,
    Completed,
    Pruned,
    Failed,
}
