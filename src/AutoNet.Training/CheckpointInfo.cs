namespace AutoNet.Training;

/// <summary>
/// The JSON half of a checkpoint: how far the trial got (<see cref="Epoch"/> epochs completed), where its schedule
/// stands, and the metrics of every epoch so far, so a resumed trial reports a complete history.
/// </summary>
public sealed record CheckpointInfo(int Format, int Epoch, long ScheduleStep, IReadOnlyList<EpochMetrics> History)
{
    /// <summary>2: TorchSharp's files (<see cref="AutoNet.Torch.Weights.TrainingSnapshot"/>); 1 was the own binding's optimizer file.</summary>
    public const int CurrentFormat = 2;
}
