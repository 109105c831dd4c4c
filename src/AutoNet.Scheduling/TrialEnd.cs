namespace AutoNet.Scheduling;

/// <summary>How a trial ends for good.</summary>
public sealed record TrialEnd(TrialEndState State, string? Reason = null, double? TestAccuracy = null, string? TestMetricsJson = null)
{
    public static TrialEnd Completed(double? testAccuracy, string? testMetricsJson) => new(TrialEndState.Completed, null, testAccuracy, testMetricsJson);

    public static TrialEnd Pruned(string reason) => new(TrialEndState.Pruned, reason);

    public static TrialEnd Failed(string reason) => new(TrialEndState.Failed, reason);
}
