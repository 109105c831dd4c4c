namespace AutoNet.Store;

/// <summary>
/// A snapshot of one trial row as it was when read: any state, including Waiting and Running. It is
/// a value; changing a trial goes through the store's methods, which check that the caller's worker
/// still owns it.
/// </summary>
/// <param name="Id">Store-wide id of the trial.</param>
/// <param name="Number">1-based number of the trial within its experiment, in the order trials were added.</param>
/// <param name="ConfigHash">Hash of genotype hash and canonical hyperparameters (<see cref="TrialHashes.ConfigHash"/>).</param>
/// <param name="WorkerId">The worker that runs (or last ran) the trial.</param>
/// <param name="StartedAt">When the trial was first claimed.</param>
/// <param name="EndedAt">When it finished (Completed, Pruned or Failed).</param>
/// <param name="HeartbeatAt">The last sign of life from its worker.</param>
/// <param name="Attempts">How many times a worker has claimed it (more than one after recovery).</param>
/// <param name="EpochsDone">The highest epoch reported.</param>
/// <param name="BestValidationAccuracy">The best validation accuracy over its reported epochs.</param>
/// <param name="Role">A search trial, or the final training of the search's winner.</param>
public sealed record Trial(
    long Id,
    long ExperimentId,
    long Number,
    string GenotypeJson,
    string GenotypeHash,
    string HyperparametersJson,
    string ConfigHash,
    TrialState State,
    string? FailureReason,
    string? WorkerId,
    string? Device,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? HeartbeatAt,
    long Attempts,
    long? ParameterCount,
    long? Flops,
    long EpochsDone,
    double? BestValidationAccuracy,
    double? TestAccuracy,
    string? TestMetricsJson,
    TrialRole Role = TrialRole.Search)
{
    /// <summary>
    /// Runs started since the trial last went back to Waiting in order or ended: each claim adds one, a release
    /// clears it. A trial whose worker keeps dying mid-run (its process killed, or killing it) counts up here while
    /// promotions past ASHA's rungs, each a claim after a release, do not; the retry limit reads this, not
    /// <see cref="Attempts"/>.
    /// </summary>
    public long UnendedRuns { get; init; }

    /// <summary>True once the trial is Completed, Pruned or Failed; it never changes again.</summary>
    public bool IsFinished => State is TrialState.Completed or TrialState.Pruned or TrialState.Failed;
}
