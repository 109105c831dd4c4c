using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training;

/// <summary>Where and how a trial trains, beyond its hyperparameters.</summary>
public sealed record TrialTrainerOptions
{
    public Device Device { get; init; } = torch.CPU;

    /// <summary>The trial's checkpoint folder; a checkpoint found there is resumed.</summary>
    public required string CheckpointDirectory { get; init; }

    public ITrialObserver? Observer { get; init; }

    /// <summary>Sets the network's drop-path probability; called at the start of each epoch when drop-path is on.</summary>
    public Action<double>? SetDropPath { get; init; }

    /// <summary>Batch size of validation and test passes (no gradients, so larger than training's).</summary>
    public int EvaluationBatchSize { get; init; } = 256;

    /// <summary>How many steps between <see cref="ITrialObserver.OnProgress"/> calls.</summary>
    public int ProgressEvery { get; init; } = 10;

    /// <summary>Training uses channels-last memory layout (faster convolutions on CUDA and oneDNN).</summary>
    public bool ChannelsLast { get; init; }
}
