namespace AutoNet.Search.Spaces;

/// <summary>
/// The labels the shipped spaces use and the conversions read, so a trainer, a scheduler and a
/// strategy agree on what <c>hp/learning_rate</c> means. A custom space may add its own.
/// </summary>
public static class SpaceLabels
{
    public const string Optimizer = "hp/optimizer";
    public const string Momentum = "hp/momentum";
    public const string LearningRate = "hp/learning_rate";
    public const string WeightDecay = "hp/weight_decay";
    public const string BatchSize = "hp/batch_size";
    public const string Epochs = "hp/epochs";
    public const string LabelSmoothing = "hp/label_smoothing";
    public const string AugmentStrength = "hp/augment_strength";
    public const string Dropout = "hp/dropout";
    public const string DropPath = "hp/drop_path";
    public const string Schedule = "hp/schedule";
    public const string WarmupEpochs = "hp/warmup_epochs";
    public const string InputResolution = "hp/input_resolution";

    // Cell spaces (CellNetworkSettings).
    public const string InitChannels = "arch/init_channels";
    public const string CellsPerStage = "arch/cells_per_stage";
    public const string Stages = "arch/stages";

    // Macro-cnn (MacroCnnConfig); Stages is shared, per-stage labels come from the methods below.
    public const string Residual = "arch/residual";
    public const string Downsampling = "arch/downsampling";
    public const string GlobalPooling = "arch/global_pooling";

    // Transfer.
    public const string Backbone = "arch/backbone";
    public const string FreezeFraction = "arch/freeze_fraction";
    public const string Head = "arch/head";
    public const string HeadHidden = "arch/head_hidden";
    public const string HeadOnlyEpochs = "hp/head_only_epochs";
    public const string UnfreezeLrMultiplier = "hp/unfreeze_lr_multiplier";

    /// <summary>The fixed setting naming the pretrained weights file; <c>{backbone}</c> in it stands for the sampled backbone.</summary>
    public const string PretrainedWeights = "pretrained_weights";

    /// <summary>Macro-cnn stage <paramref name="stage"/> (1-based): its width.</summary>
    public static string StageWidth(int stage) => $"arch/stage{stage}_width";

    /// <summary>Macro-cnn stage <paramref name="stage"/> (1-based): its number of conv units.</summary>
    public static string StageDepth(int stage) => $"arch/stage{stage}_depth";

    /// <summary>Macro-cnn stage <paramref name="stage"/> (1-based): its kernel size.</summary>
    public static string StageKernel(int stage) => $"arch/stage{stage}_kernel";
}
