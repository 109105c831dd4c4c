namespace AutoNet.Search.MultiFidelity;

/// <summary>No early stopping: every trial trains its full budget.</summary>
public sealed class FifoScheduler(int maxEpochs) : ITrialScheduler
{
    public int FirstTarget { get; } = maxEpochs >= 1 ? maxEpochs : throw new ArgumentOutOfRangeException(nameof(maxEpochs), maxEpochs, "expected at least 1 epoch");

    public TrialAction OnEpochReported(int trialNumber, int epoch, double score) => TrialAction.Continue;

    public int TargetEpoch(int trialNumber) => FirstTarget;

    public TrialResumption? NextResumption() => null;

    // It never pauses a trial, so there is nothing to finish.
    public TrialResumption? FinishingResumption() => null;

    public void OnTrialFailed(int trialNumber)
    {
    }

    // Nothing it decides depends on earlier trials.
    public void Restore(TrialHistory history)
    {
    }
}
