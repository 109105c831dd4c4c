using AutoNet.Training;

namespace AutoNet.Scheduling;

/// <summary>
/// How a run of a trial ended. <see cref="History"/> holds every epoch so far (a resumed run includes the epochs its
/// checkpoint remembers), so a job can store epochs that a crash kept it from reporting; storing them is idempotent.
/// </summary>
/// <param name="TestAccuracy">Top-1 test accuracy, once the full budget was trained and evaluated.</param>
/// <param name="TestMetricsJson">All final test metrics as JSON, when evaluated.</param>
public sealed record TrialRunOutcome(
    int EpochsCompleted,
    TrainingStopReason StopReason,
    IReadOnlyList<EpochMetrics> History,
    long? ParameterCount = null,
    double? TestAccuracy = null,
    string? TestMetricsJson = null)
{
    public double BestValidationAccuracy => History.Count == 0 ? 0 : History.Max(h => h.ValidationAccuracy);
}
