namespace AutoNet.Scheduling.Jobs;

/// <summary>What one trial job was asked to do, with the retry history its job parameters carry.</summary>
internal sealed record TrialRun(long ExperimentId, long TrialId, int TrialNumber, int TargetEpoch, int MaxEpochs, bool HalveBatch, int TransientRetries)
{
    public TrialRunEnded Ended(TrialRunEndKind kind, int epochsDone, double? best, string? reason = null) =>
        new(TrialId, TrialNumber, kind, TargetEpoch, epochsDone, best, reason);
}
