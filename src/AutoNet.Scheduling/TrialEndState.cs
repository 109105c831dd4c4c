namespace AutoNet.Scheduling;

/// <summary>The final states of a trial (the store's Completed, Pruned and Failed).</summary>
public enum TrialEndState
{
    Completed,
    Pruned,
    Failed,
}
