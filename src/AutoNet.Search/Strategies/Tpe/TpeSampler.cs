namespace AutoNet.Search.Strategies.Tpe;

/// <summary>
/// The Tree-structured Parzen Estimator for one parameter at a time (univariate TPE, as Optuna's default): the
/// observed trials are split into the best γ(n) = min(⌈n/10⌉, 25) and the rest, a <see cref="ParzenEstimator"/>
/// is fitted to each, and of <see cref="Candidates"/> values drawn from the good one the value maximising
/// l(x)/g(x) is proposed. Until <see cref="StartupTrials"/> observations exist, values are drawn at random (log-
/// uniformly on log domains). Scores are maximised. Conditional parameters are handled by the caller passing only
/// the trials in which the parameter was active.
/// </summary>
public sealed class TpeSampler(int startupTrials = 10, int candidates = 24)
{
    public int StartupTrials { get; } = startupTrials >= 0 ? startupTrials : throw new ArgumentOutOfRangeException(nameof(startupTrials));

    public int Candidates { get; } = candidates >= 1 ? candidates : throw new ArgumentOutOfRangeException(nameof(candidates));

    /// <summary>How many of <paramref name="observed"/> trials count as good.</summary>
    public static int GoodCount(int observed) => Math.Min((int)Math.Ceiling(observed / 10.0), 25);

    public double Suggest(TpeDomain domain, IReadOnlyList<(double Value, double Score)> history, Func<double> uniform)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(uniform);
        if (history.Count < Math.Max(StartupTrials, 2))
        {
            return RandomValue(domain, uniform);
        }

        // Ties in score keep the earlier trial first, so the split does not depend on sort stability.
        var ranked = history.Select((h, i) => (h.Value, h.Score, Index: i)).OrderByDescending(h => h.Score).ThenBy(h => h.Index).ToArray();
        var goodCount = GoodCount(ranked.Length);
        var good = new ParzenEstimator(domain, ranked.Take(goodCount).Select(h => h.Value).ToArray());
        var bad = new ParzenEstimator(domain, ranked.Skip(goodCount).Select(h => h.Value).ToArray());
        var best = double.NaN;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < Candidates; i++)
        {
            var candidate = good.Sample(uniform);
            var score = good.LogDensity(candidate) - bad.LogDensity(candidate);
            if (score > bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return best;
    }

    /// <summary>A value drawn uniformly (log-uniformly on a log domain).</summary>
    public static double RandomValue(TpeDomain domain, Func<double> uniform)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(uniform);
        if (domain.Kind == TpeDomainKind.Categorical)
        {
            return Math.Min((int)(uniform() * domain.Choices), domain.Choices - 1);
        }

        var (low, high) = domain.ModelRange;
        return domain.FromModel(low + (uniform() * (high - low)));
    }
}
