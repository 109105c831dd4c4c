namespace AutoNet.Training.OneShot;

/// <summary>
/// How a weight-sharing supernet trains and judges its paths. The recipe is the trainer's default
/// (<see cref="TrainingHyperparameters"/>: SGD with momentum, its learning rate on a cosine, weight decay, label
/// smoothing, gradient clipping) with a smaller batch and milder augmentation; the searched hyperparameters of a
/// point do not apply, as a proxy ignores them too: only the architecture differs.
/// </summary>
public sealed record SupernetOptions
{
    private static readonly TrainingHyperparameters TrainerDefaults = new();

    public double LearningRate { get; init; } = TrainerDefaults.LearningRate;

    public double Momentum { get; init; } = TrainerDefaults.Momentum;

    public double WeightDecay { get; init; } = TrainerDefaults.WeightDecay;

    public double LabelSmoothing { get; init; } = TrainerDefaults.LabelSmoothing;

    public double GradientClipNorm { get; init; } = TrainerDefaults.GradientClipNorm;

    public int BatchSize { get; init; } = 64;

    public double AugmentStrength { get; init; } = 0.25;

    /// <summary>
    /// Training images each evaluated network's batch norm sees before it is judged (Guo et al. recalibrate on 20,000;
    /// a few hundred settle small networks' statistics, and the evaluation of hundreds of networks stays cheap).
    /// </summary>
    public int RecalibrationImages { get; init; } = 512;

    public int EvaluationBatchSize { get; init; } = 256;

    /// <summary>Seeds the order of training batches, their augmentation and the recalibration images.</summary>
    public long Seed { get; init; }

    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException($"supernet learning rate {LearningRate} must be a positive number");
        }

        if (Momentum is < 0 or >= 1 || WeightDecay < 0 || LabelSmoothing is < 0 or >= 1 || GradientClipNorm < 0 || AugmentStrength is < 0 or > 1)
        {
            throw new ArgumentException(
                $"supernet momentum {Momentum} (expected 0 ≤ m < 1), weight decay {WeightDecay} (≥ 0), label smoothing {LabelSmoothing} (0 ≤ s < 1), " +
                $"clip norm {GradientClipNorm} (≥ 0) or augmentation {AugmentStrength} (0–1) is out of range");
        }

        if (BatchSize < 2 || RecalibrationImages < 2 || EvaluationBatchSize < 1)
        {
            throw new ArgumentException(
                $"supernet batch size {BatchSize} and recalibration images {RecalibrationImages} must be at least 2, evaluation batch {EvaluationBatchSize} at least 1");
        }
    }
}
