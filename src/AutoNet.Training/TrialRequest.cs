using TorchSharp;
using static TorchSharp.torch;

namespace AutoNet.Training;

/// <summary>
/// One run of one trial: how to build its network (called after seeding, so weights depend only on the seed), its
/// data and hyperparameters, its folder (checkpoint, predictions), the epoch to train to, and the test split to
/// evaluate on once the full budget is reached.
/// </summary>
public sealed record TrialRequest(
    Func<nn.Module<Tensor, Tensor>> BuildModel,
    TrialData Data,
    TrainingHyperparameters Hyperparameters,
    string Directory,
    int TargetEpoch)
{
    public Device Device { get; init; } = torch.CPU;

    /// <summary>The test split (uint8 [N, C, H, W] and int64 [N]); evaluated when the trial completes its budget.</summary>
    public (Tensor Images, Tensor Labels)? Test { get; init; }

    public Action<nn.Module<Tensor, Tensor>, double>? SetDropPath { get; init; }

    public bool ChannelsLast { get; init; }

    public string CheckpointDirectory => Path.Combine(Directory, "checkpoint");

    public string PredictionsPath => Path.Combine(Directory, "test-predictions.safetensors");
}
