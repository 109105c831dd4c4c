namespace AutoNet.Scheduling;

/// <summary>
/// The result of <see cref="ITrialLedger.ClaimAsync"/>: whether the caller now owns the trial, how far it got, and
/// for a finished trial how it ended (a recovered job reports it again, in case its first run died before telling).
/// </summary>
/// <param name="UnendedRuns">For a claimed trial: runs started since it last went back to Waiting in order, this one included.</param>
public sealed record TrialClaim(TrialClaimStatus Status, int EpochsDone, TrialEndState? EndState = null, double? BestScore = null, int UnendedRuns = 1);
