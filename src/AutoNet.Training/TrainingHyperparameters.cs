namespace AutoNet.Training;

/// <summary>
/// How one trial trains. The schedule is laid over <see cref="Epochs"/>, the trial's full budget, so a trial stopped
/// at a lower rung and later continued follows the very curve it would have followed straight through.
/// The defaults are a recipe that trains well on small images without tuning.
/// </summary>
public sealed record TrainingHyperparameters
{
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>The peak learning rate (after warm-up).</summary>
    public double LearningRate { get; init; } = 0.05;

    public double WeightDecay { get; init; } = 3e-4;

    /// <summary>Momentum for SGD (Nesterov); ignored by AdamW.</summary>
    public double Momentum { get; init; } = 0.9;

    public int BatchSize { get; init; } = 96;

    /// <summary>The full budget in epochs; the schedule spans it.</summary>
    public int Epochs { get; init; } = 10;

    public double LabelSmoothing { get; init; } = 0.1;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    public double WarmupEpochs { get; init; } = 1;

    /// <summary>Gradients are clipped to this global L2 norm (0 = no clipping).</summary>
    public double GradientClipNorm { get; init; } = 5;

    /// <summary>Drop-path probability reached at the last epoch; it grows linearly from zero, as in DARTS.</summary>
    public double DropPath { get; init; }

    /// <summary>
    /// Data augmentation on one knob, 0 (none) to 1 (crop, cutout and cutmix on every batch); see
    /// <see cref="AutoNet.Data.AugmentationOptions.ForStrength"/>. Horizontal flips follow the data set, not this.
    /// </summary>
    public double AugmentStrength { get; init; } = 0.5;

    /// <summary>Whether evaluation averages the predictions of each image and its mirror image (only where the data allows flips).</summary>
    public bool TestTimeFlip { get; init; } = true;

    /// <summary>
    /// Fine-tuning a <see cref="AutoNet.Models.Transfer.TransferNetwork"/>: the first epochs that train only its head
    /// (the pretrained feature extractor frozen); afterwards its unfrozen stages train too. Other models need 0.
    /// </summary>
    public int HeadOnlyEpochs { get; init; }

    /// <summary>
    /// Fine-tuning a <see cref="AutoNet.Models.Transfer.TransferNetwork"/>: the learning rate of its feature
    /// extractor as a multiple of the head's (<see cref="LearningRate"/>), so pretrained features are adjusted, not
    /// overwritten. The schedule spans the whole budget for both.
    /// </summary>
    public double UnfreezeLearningRateMultiplier { get; init; } = 1;

    /// <summary>The seed of every random choice the trial makes: initialisation, order, augmentation, dropout.</summary>
    public long Seed { get; init; }

    /// <summary>Refuses settings no training could run with, naming the field and what it expects.</summary>
    public void Validate()
    {
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a positive number");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "zero or more");
        Require(Momentum is >= 0 and < 1, nameof(Momentum), Momentum, "in [0, 1)");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Require(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Require(LabelSmoothing is >= 0 and < 1, nameof(LabelSmoothing), LabelSmoothing, "in [0, 1)");
        Require(WarmupEpochs >= 0 && WarmupEpochs <= Epochs, nameof(WarmupEpochs), WarmupEpochs, $"in [0, {Epochs}] (the epoch budget)");
        Require(GradientClipNorm >= 0 && double.IsFinite(GradientClipNorm), nameof(GradientClipNorm), GradientClipNorm, "zero (off) or more");
        Require(DropPath is >= 0 and < 1, nameof(DropPath), DropPath, "in [0, 1)");
        Require(AugmentStrength is >= 0 and <= 1, nameof(AugmentStrength), AugmentStrength, "in [0, 1]");
        Require(HeadOnlyEpochs >= 0 && HeadOnlyEpochs <= Epochs, nameof(HeadOnlyEpochs), HeadOnlyEpochs, $"in [0, {Epochs}] (the epoch budget)");
        Require(UnfreezeLearningRateMultiplier > 0 && double.IsFinite(UnfreezeLearningRateMultiplier), nameof(UnfreezeLearningRateMultiplier),
            UnfreezeLearningRateMultiplier, "a positive number");
        Require(Enum.IsDefined(Optimizer), nameof(Optimizer), Optimizer, "sgd or adamw");
        Require(Enum.IsDefined(Schedule), nameof(Schedule), Schedule, "cosine, one-cycle or constant");
    }

    private static void Require(bool condition, string field, object value, string expected)
    {
        if (!condition)
        {
            throw new ArgumentException($"training hyperparameter {field} = {value}: expected {expected}");
        }
    }
}
