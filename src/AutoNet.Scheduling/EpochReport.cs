namespace AutoNet.Scheduling;

/// <summary>What a trial reports after an epoch: its metrics (Training's record) and the score schedulers maximise.</summary>
public sealed record EpochReport(long TrialId, int TrialNumber, AutoNet.Training.EpochMetrics Metrics)
{
    /// <summary>Validation accuracy: the score every early-stopping scheduler compares.</summary>
    public double Score => Metrics.ValidationAccuracy;

    public int Epoch => Metrics.Epoch;
}
