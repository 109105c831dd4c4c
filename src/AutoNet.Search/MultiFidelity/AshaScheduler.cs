using System.Globalization;

namespace AutoNet.Search.MultiFidelity;

/// <summary>
/// Asynchronous successive halving (Li et al., 2020), promotion-based, with epochs as the budget. Rungs sit at
/// r·ηᵏ epochs below the full budget R. A trial that reaches a rung is promoted at once when it ranks in the top
/// ⌊n/η⌋ of the n results recorded at that rung so far and has not been promoted before; otherwise it pauses there
/// (its checkpoint kept). Whenever a slot frees, <see cref="NextResumption"/> promotes the best paused trial that
/// has since earned a place, highest rung first, before any new trial starts. Trials still paused when the
/// search ends were cut off at their rung: they are the pruned ones. Ties rank the earlier result first.
/// </summary>
public sealed class AshaScheduler : ITrialScheduler
{
    private readonly List<AshaRung> rungs = [];
    private readonly Dictionary<int, int> reachedRung = [];
    private readonly HashSet<int> failed = [];
    // Trials never to be promoted: failed ones, and ones a resumed search found already ended.
    private readonly HashSet<int> excluded = [];
    private long arrivals;

    public AshaScheduler(int minEpochs, int maxEpochs, int reductionFactor = 3)
    {
        if (minEpochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minEpochs), minEpochs, "ASHA's minimum budget must be at least 1 epoch");
        }

        if (maxEpochs < minEpochs)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEpochs), maxEpochs, $"ASHA's maximum budget must be at least the minimum ({minEpochs} epochs)");
        }

        if (reductionFactor < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(reductionFactor), reductionFactor, "ASHA's reduction factor η must be at least 2");
        }

        MinEpochs = minEpochs;
        MaxEpochs = maxEpochs;
        ReductionFactor = reductionFactor;
        for (long epoch = minEpochs; epoch < maxEpochs; epoch *= reductionFactor)
        {
            rungs.Add(new AshaRung((int)epoch));
        }
    }

    public int MinEpochs { get; }

    public int MaxEpochs { get; }

    public int ReductionFactor { get; }

    /// <summary>The epochs at which trials are compared (the full budget is not a rung: reaching it completes a trial).</summary>
    public IReadOnlyList<int> RungEpochs => rungs.Select(r => r.Epoch).ToArray();

    public int FirstTarget => rungs.Count > 0 ? rungs[0].Epoch : MaxEpochs;

    public TrialAction OnEpochReported(int trialNumber, int epoch, double score)
    {
        if (double.IsNaN(score))
        {
            throw new ArgumentException($"trial {trialNumber} reported a NaN score at epoch {epoch}", nameof(score));
        }

        var index = rungs.FindIndex(r => r.Epoch == epoch);
        if (index < 0 || failed.Contains(trialNumber))
        {
            return TrialAction.Continue;
        }

        var rung = rungs[index];
        if (rung.Has(trialNumber))
        {
            // A resumed trial re-reporting a rung it already recorded: the first decision stands.
            return rung.IsPromoted(trialNumber) ? TrialAction.Continue : TrialAction.Pause;
        }

        rung.Record(trialNumber, score, arrivals++);
        reachedRung[trialNumber] = index;
        if (rung.IsPromotable(trialNumber, ReductionFactor))
        {
            rung.Promote(trialNumber);
            return TrialAction.Continue;
        }

        return TrialAction.Pause;
    }

    public int TargetEpoch(int trialNumber)
    {
        if (!reachedRung.TryGetValue(trialNumber, out var index))
        {
            return FirstTarget;
        }

        return rungs[index].IsPromoted(trialNumber) && index + 1 < rungs.Count ? rungs[index + 1].Epoch
            : rungs[index].IsPromoted(trialNumber) ? MaxEpochs
            : rungs[index].Epoch;
    }

    public TrialResumption? NextResumption()
    {
        for (var index = rungs.Count - 1; index >= 0; index--)
        {
            var candidate = rungs[index].BestPromotable(ReductionFactor, excluded);
            if (candidate is { } trial)
            {
                rungs[index].Promote(trial);
                return new TrialResumption(trial, TargetEpoch(trial));
            }
        }

        return null;
    }

    /// <summary>
    /// With no new trials to come, ASHA's ⌊n/η⌋ quota would leave a rung of fewer than η results with no survivor at
    /// all (two trials, η = 3: both pruned after their first epoch). Synchronous successive halving over the trials
    /// that exist keeps the top ⌈n/η⌉ of each rung instead, so at least the best one climbs on: that is what this
    /// promotes, highest rung first.
    /// </summary>
    public TrialResumption? FinishingResumption()
    {
        for (var index = rungs.Count - 1; index >= 0; index--)
        {
            var candidate = rungs[index].BestPromotable(ReductionFactor, excluded, roundUp: true);
            if (candidate is { } trial)
            {
                rungs[index].Promote(trial);
                return new TrialResumption(trial, TargetEpoch(trial));
            }
        }

        return null;
    }

    public void OnTrialFailed(int trialNumber)
    {
        failed.Add(trialNumber);
        excluded.Add(trialNumber);
    }

    /// <summary>
    /// Records the trial's score at every rung it reached, in trial-number order (the arrival order ties fall back
    /// to), and marks it promoted at each rung it trained past. A trial still waiting at its highest rung is paused
    /// there as before the interruption, and <see cref="NextResumption"/> promotes it once it earns a place. A trial
    /// that has ended keeps its place in the rungs it reached but is never promoted again.
    /// </summary>
    public void Restore(TrialHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var number = history.TrialNumber;
        if (history.Failed)
        {
            failed.Add(number);
        }

        if (history.Finished)
        {
            excluded.Add(number);
        }

        for (var index = 0; index < rungs.Count && rungs[index].Epoch <= history.EpochsDone; index++)
        {
            var rung = rungs[index];
            if (history.Scores.FirstOrDefault(s => s.Epoch == rung.Epoch) is not { } score || double.IsNaN(score.Score))
            {
                // No score stored at this rung (a failed epoch): the trial cannot be ranked there or above.
                break;
            }

            if (!rung.Has(number))
            {
                rung.Record(number, score.Score, arrivals++);
            }

            reachedRung[number] = index;
            if (history.EpochsDone > rung.Epoch)
            {
                rung.Promote(number);
            }
        }
    }

    /// <summary>Trials paused at a rung and never promoted: the ones ASHA cut off.</summary>
    public IReadOnlyList<int> PausedTrials() =>
        reachedRung.Where(p => !rungs[p.Value].IsPromoted(p.Key) && !excluded.Contains(p.Key)).Select(p => p.Key).Order().ToArray();

    /// <summary>The score a trial needs at a rung to be promoted right now: the ⌊n/η⌋-th best recorded there.</summary>
    public double? CutOff(int rungIndex) => rungs[rungIndex].CutOff(ReductionFactor);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ASHA r={MinEpochs} R={MaxEpochs} η={ReductionFactor} rungs=[{string.Join(", ", RungEpochs)}]");
}
