namespace AutoNet.Store;

/// <summary>
/// One epoch of a trial. Reporting the same epoch again replaces it (a resumed trial re-running an
/// epoch does not duplicate it). Values must be finite: a NaN loss is a failed trial, not a metric.
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="ValidationAccuracy">Top-1 accuracy on the validation split, in [0, 1].</param>
/// <param name="Top5Accuracy">Top-5 accuracy on the validation split, in [0, 1].</param>
/// <param name="Seconds">Wall time of the epoch (training and validation).</param>
/// <param name="MemoryBytes">Peak device memory during the epoch, when known.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double? Top5Accuracy,
    double LearningRate,
    double Seconds,
    long? MemoryBytes = null);
