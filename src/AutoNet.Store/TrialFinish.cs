namespace AutoNet.Store;

/// <summary>How a running trial ends: completed with its final test metrics, pruned by the scheduler, or failed with a reason.</summary>
public sealed record TrialFinish
{
    private TrialFinish(TrialState state, string? reason, double? testAccuracy, string? testMetricsJson)
    {
        State = state;
        Reason = reason;
        TestAccuracy = testAccuracy;
        TestMetricsJson = testMetricsJson;
    }

    public TrialState State { get; }

    /// <summary>Why it was pruned or failed; null for a completed trial.</summary>
    public string? Reason { get; }

    public double? TestAccuracy { get; }

    public string? TestMetricsJson { get; }

    /// <param name="testAccuracy">Top-1 accuracy on the test split, in [0, 1], when the trial was evaluated on it.</param>
    /// <param name="testMetricsJson">All final test metrics (per-class, top-5, ...), as JSON.</param>
    public static TrialFinish Completed(double? testAccuracy = null, string? testMetricsJson = null) =>
        new(TrialState.Completed, null, testAccuracy, testMetricsJson);

    public static TrialFinish Pruned(string reason) => new(TrialState.Pruned, reason, null, null);

    public static TrialFinish Failed(string reason) => new(TrialState.Failed, reason, null, null);
}
