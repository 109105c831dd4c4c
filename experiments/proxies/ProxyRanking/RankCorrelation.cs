namespace AutoNet.Experiments.ProxyRanking;

/// <summary>Rank agreement of two score lists over the same items: Spearman's ρ (average ranks for ties), Kendall's τ-b, top-k overlap.</summary>
public static class RankCorrelation
{
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) => Pearson(Ranks(x), Ranks(y));

    public static double Kendall(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (var i = 0; i < x.Count; i++)
        {
            for (var j = i + 1; j < x.Count; j++)
            {
                var dx = Math.Sign(x[i] - x[j]);
                var dy = Math.Sign(y[i] - y[j]);
                if (dx == 0 && dy == 0)
                {
                    continue;
                }

                if (dx == 0)
                {
                    tiesX++;
                }
                else if (dy == 0)
                {
                    tiesY++;
                }
                else if (dx == dy)
                {
                    concordant++;
                }
                else
                {
                    discordant++;
                }
            }
        }

        var denominator = Math.Sqrt((double)(concordant + discordant + tiesX) * (concordant + discordant + tiesY));
        return denominator == 0 ? double.NaN : (concordant - discordant) / denominator;
    }

    /// <summary>The share of the truly best <paramref name="fraction"/> of items that the proxy's best <paramref name="fraction"/> also holds.</summary>
    public static double TopShare(IReadOnlyList<double> proxy, IReadOnlyList<double> truth, double fraction)
    {
        var k = Math.Max(1, (int)Math.Round(truth.Count * fraction));
        var bestTrue = Enumerable.Range(0, truth.Count).OrderByDescending(i => truth[i]).Take(k).ToHashSet();
        var bestProxy = Enumerable.Range(0, proxy.Count).OrderByDescending(i => proxy[i]).Take(k);
        return (double)bestProxy.Count(bestTrue.Contains) / k;
    }

    private static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = (start + end) / 2.0;
            }

            start = end + 1;
        }

        return ranks;
    }

    private static double Pearson(double[] a, double[] b)
    {
        var meanA = a.Average();
        var meanB = b.Average();
        double cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            cov += (a[i] - meanA) * (b[i] - meanB);
            varA += (a[i] - meanA) * (a[i] - meanA);
            varB += (b[i] - meanB) * (b[i] - meanB);
        }

        return varA == 0 || varB == 0 ? double.NaN : cov / Math.Sqrt(varA * varB);
    }
}
