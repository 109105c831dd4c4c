namespace AutoNet.Scheduling;

/// <summary>How one run of a trial ended, as a job reports it after the store has recorded it.</summary>
/// <param name="TargetEpoch">The target the run was given (a coordinator ignores news of a run it no longer waits for).</param>
/// <param name="BestScore">The best validation accuracy over every epoch so far.</param>
/// <param name="Reason">Why it failed, was pruned, or is retried.</param>
public sealed record TrialRunEnded(long TrialId, int TrialNumber, TrialRunEndKind Kind, int TargetEpoch, int EpochsDone, double? BestScore, string? Reason = null);
