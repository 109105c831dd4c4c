namespace AutoNet.Store;

/// <summary>How many trials of an experiment are in each state.</summary>
public sealed record TrialCounts(long Waiting, long Running, long Completed, long Pruned, long Failed)
{
    public long Total => Waiting + Running + Completed + Pruned + Failed;
}
