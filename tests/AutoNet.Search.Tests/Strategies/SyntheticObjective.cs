using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;

namespace AutoNet.Search.Tests.Strategies;

/// <summary>
/// A cheap stand-in for validation accuracy: the mean closeness of each active decision to a fixed target (a
/// categorical scores 1 on its target choice, 0 otherwise; a range scores 1 − distance to its target point, on the
/// log scale for log ranges). Separable, so each decision matters a little and none alone decides.
/// </summary>
internal static class SyntheticObjective
{
    public static double Score(SearchSpace space, SearchSample sample, Func<SearchParameter, bool>? scored = null)
    {
        var total = 0.0;
        var count = 0;
        foreach (var decision in space.Decisions.Where(scored ?? (_ => true)))
        {
            if (!sample.TryGetValue(decision.Label, out var value))
            {
                continue;
            }

            count++;
            total += decision switch
            {
                FloatParameter f => 1 - Math.Abs(Unit(f, value.AsDouble()) - 0.7),
                IntParameter i => 1 - Math.Abs((i.IndexOf(value) / (double)Math.Max(1, i.Cardinality - 1)) - 0.7),
                _ => decision.IndexOf(value) == decision.Cardinality - 1 ? 1 : 0,
            };
        }

        return count == 0 ? 0 : total / count;
    }

    /// <summary>The best score <paramref name="strategy"/> finds in <paramref name="trials"/> asks, telling each result at once.</summary>
    public static double Best(ISearchStrategy strategy, int trials, Func<SearchParameter, bool>? scored = null)
    {
        var best = double.NegativeInfinity;
        for (var i = 0; i < trials; i++)
        {
            var sample = strategy.Ask()!;
            var score = Score(strategy.Space, sample, scored);
            strategy.Tell(sample, score);
            best = Math.Max(best, score);
        }

        return best;
    }

    private static double Unit(FloatParameter f, double x) => f.High == f.Low ? 0.5
        : f.Log ? (Math.Log(x) - Math.Log(f.Low)) / (Math.Log(f.High) - Math.Log(f.Low))
        : (x - f.Low) / (f.High - f.Low);
}
