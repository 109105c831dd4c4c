namespace AutoNet.Search.MultiFidelity;

/// <summary>
/// Google Vizier's median stopping rule: after epoch t (past a grace period), a trial stops when its best score so
/// far is below the median, over the other trials that reached epoch t, of their running-average score up to t.
/// Until <c>minTrials</c> other trials have reached t, nothing is stopped.
/// </summary>
public sealed class MedianStoppingRule : ITrialScheduler
{
    private readonly Dictionary<int, List<double>> scores = [];
    private readonly HashSet<int> failed = [];

    public MedianStoppingRule(int maxEpochs, int gracePeriod = 1, int minTrials = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(minTrials, 1);
        MaxEpochs = maxEpochs;
        GracePeriod = gracePeriod;
        MinTrials = minTrials;
    }

    public int MaxEpochs { get; }

    public int GracePeriod { get; }

    public int MinTrials { get; }

    public int FirstTarget => MaxEpochs;

    public TrialAction OnEpochReported(int trialNumber, int epoch, double score)
    {
        if (double.IsNaN(score))
        {
            throw new ArgumentException($"trial {trialNumber} reported a NaN score at epoch {epoch}", nameof(score));
        }

        if (!scores.TryGetValue(trialNumber, out var own))
        {
            scores[trialNumber] = own = [];
        }

        // Epochs are 1-based; a resumed trial re-reporting an epoch replaces its earlier value.
        if (epoch <= own.Count)
        {
            own[epoch - 1] = score;
        }
        else if (epoch == own.Count + 1)
        {
            own.Add(score);
        }
        else
        {
            throw new ArgumentException($"trial {trialNumber} reported epoch {epoch} after only {own.Count} epochs", nameof(epoch));
        }

        if (epoch <= GracePeriod || epoch >= MaxEpochs)
        {
            return TrialAction.Continue;
        }

        var averages = scores.Where(p => p.Key != trialNumber && !failed.Contains(p.Key) && p.Value.Count >= epoch)
            .Select(p => p.Value.Take(epoch).Average()).Order().ToArray();
        if (averages.Length < MinTrials)
        {
            return TrialAction.Continue;
        }

        var median = averages.Length % 2 == 1 ? averages[averages.Length / 2]
            : (averages[(averages.Length / 2) - 1] + averages[averages.Length / 2]) / 2;
        return own.Take(epoch).Max() < median ? TrialAction.Stop : TrialAction.Continue;
    }

    public int TargetEpoch(int trialNumber) => MaxEpochs;

    public TrialResumption? NextResumption() => null;

    // It never pauses a trial, so there is nothing to finish.
    public TrialResumption? FinishingResumption() => null;

    public void OnTrialFailed(int trialNumber) => failed.Add(trialNumber);

    /// <summary>Takes back every stored score (the medians compare against them); decisions already taken stand.</summary>
    public void Restore(TrialHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        // Epochs count from 1 without gaps; a gap (an epoch whose score was not stored) ends what can be taken back.
        var expected = 1;
        foreach (var score in history.Scores.OrderBy(s => s.Epoch))
        {
            if (score.Epoch != expected || double.IsNaN(score.Score))
            {
                break;
            }

            OnEpochReported(history.TrialNumber, score.Epoch, score.Score);
            expected++;
        }

        if (history.Failed)
        {
            failed.Add(history.TrialNumber);
        }
    }
}
