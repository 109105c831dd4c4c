namespace AutoNet.Training;

/// <summary>
/// What one epoch of a trial measured. <see cref="ValidationTop5Accuracy"/> is <c>null</c> with five classes or
/// fewer; <see cref="PeakMemoryBytes"/> is the device's peak allocation on CUDA and the process's peak resident
/// size on the CPU.
/// </summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double? ValidationTop5Accuracy,
    double LearningRate,
    double Seconds,
    long PeakMemoryBytes);
