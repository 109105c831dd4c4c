namespace AutoNet.Training;

/// <summary>Where a call to <see cref="TrialTrainer.Train"/> left the trial: epochs completed and every epoch's metrics.</summary>
public sealed record TrainingOutcome(int EpochsCompleted, TrainingStopReason StopReason, IReadOnlyList<EpochMetrics> History)
{
    /// <summary>The best validation accuracy over all epochs so far (0 before any epoch).</summary>
    public double BestValidationAccuracy => History.Count == 0 ? 0 : History.Max(h => h.ValidationAccuracy);
}
