namespace AutoNet.Search.MultiFidelity;

/// <summary>
/// Decides whether running trials go on (Ray Tune's split: a strategy decides what to try, a scheduler decides what
/// continues). Scores are maximised (validation accuracy). Trials are named by their number in the experiment.
/// Implementations are not thread-safe: the search's coordinator funnels every event through one place.
/// </summary>
public interface ITrialScheduler
{
    /// <summary>The first epoch a new trial trains to before the scheduler next decides about it.</summary>
    int FirstTarget { get; }

    /// <summary>Records the score a trial reached after <paramref name="epoch"/> epochs and decides what it does next.</summary>
    TrialAction OnEpochReported(int trialNumber, int epoch, double score);

    /// <summary>The epoch a trial should now train to (its next decision point, or the full budget).</summary>
    int TargetEpoch(int trialNumber);

    /// <summary>A paused trial that has earned promotion and should continue before any new trial starts, if any.</summary>
    TrialResumption? NextResumption();

    /// <summary>
    /// No new trial will come (the trial budget is used, the strategy has nothing left, or the time left is needed to
    /// finish what exists): a paused trial that should go on anyway, so the search ends with a trial trained to its
    /// full budget rather than every one cut off at a rung. Null when none should.
    /// </summary>
    TrialResumption? FinishingResumption();

    /// <summary>Forgets a trial that failed, so it neither blocks nor counts in later decisions.</summary>
    void OnTrialFailed(int trialNumber);

    /// <summary>
    /// Takes back what a resumed search's store remembers of a trial, before any new event: called once per stored
    /// trial, in trial-number order, so the scheduler decides on as it would have without the interruption.
    /// </summary>
    void Restore(TrialHistory history);
}
