namespace AutoNet.Store.Sql;

/// <summary>An epoch_metrics row as Dapper reads it.</summary>
internal sealed class EpochRow
{
    public const string Columns =
        "epoch AS Epoch, train_loss AS TrainLoss, val_loss AS ValidationLoss, val_accuracy AS ValidationAccuracy, " +
        "top5_accuracy AS Top5Accuracy, learning_rate AS LearningRate, seconds AS Seconds, memory_bytes AS MemoryBytes";

    public long Epoch { get; set; }
    public double TrainLoss { get; set; }
    public double? ValidationLoss { get; set; }
    public double? ValidationAccuracy { get; set; }
    public double? Top5Accuracy { get; set; }
    public double LearningRate { get; set; }
    public double Seconds { get; set; }
    public long? MemoryBytes { get; set; }

    public EpochMetrics ToMetrics() =>
        new(checked((int)Epoch), TrainLoss, ValidationLoss, ValidationAccuracy, Top5Accuracy, LearningRate, Seconds, MemoryBytes);
}
