namespace AutoNet.Training;

/// <summary>
/// The JSON half of a checkpoint: how far the trial got (<see cref="Epoch"/> epochs completed), where its schedule
/// stands, and the metrics of every epoch so far, so a resumed trial reports a complete history.
/// </summary>
public sealed record CheckpointInfo(int Format, int Epoch, long ScheduleStep, IReadOnlyList<EpochMetrics> History)
{
    public const int CurrentFormat = 1;
}
