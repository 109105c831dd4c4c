namespace AutoNet.Training;

/// <summary>
/// Hears about a trial while it trains. The scheduler implements it to store metrics and to apply early stopping;
/// the trainer never touches a store itself.
/// </summary>
public interface ITrialObserver
{
    /// <summary>Called after each epoch's validation (and after its checkpoint is written).</summary>
    TrialDecision OnEpochCompleted(EpochMetrics metrics);

    /// <summary>Called every few steps inside an epoch, for progress bars: steps done and steps in the epoch.</summary>
    void OnProgress(int epoch, int step, int stepsInEpoch);
}
