namespace AutoNet.Training.Evaluation;

/// <summary>
/// Areas under ranking curves for one binary problem (scores, and whether each sample is positive), with the
/// same tie handling as scikit-learn's <c>roc_auc_score</c> and <c>average_precision_score</c>.
/// </summary>
public static class RankingMetrics
{
    /// <summary>
    /// ROC AUC: the probability that a random positive scores above a random negative, ties counting one half —
    /// equal to the trapezoidal area under the ROC curve. <c>null</c> without both a positive and a negative.
    /// </summary>
    public static double? RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        CheckLengths(scores, positive);
        var order = AscendingOrder(scores);
        long positives = 0;
        double positiveRankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            // Tied scores share the mean of the ranks they span (ranks are 1-based).
            var meanRank = (start + end + 2) / 2.0;
            for (var i = start; i <= end; i++)
            {
                if (positive[order[i]])
                {
                    positives++;
                    positiveRankSum += meanRank;
                }
            }

            start = end + 1;
        }

        long negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision: Σ (Rₙ − Rₙ₋₁) Pₙ over the distinct score thresholds from the highest down, the step-wise
    /// area under the precision-recall curve. <c>null</c> without a positive.
    /// </summary>
    public static double? AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (PrecisionRecallCurve(scores, positive) is not { } curve)
        {
            return null;
        }

        double previousRecall = 0, area = 0;
        foreach (var point in curve)
        {
            area += (point.Recall - previousRecall) * point.Precision;
            previousRecall = point.Recall;
        }

        return area;
    }

    /// <summary>
    /// The precision-recall curve: one point per distinct score threshold, from the highest score down (recall rising),
    /// each with the threshold it is reached at. <c>null</c> without a positive.
    /// </summary>
    public static IReadOnlyList<PrecisionRecallPoint>? PrecisionRecallCurve(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        CheckLengths(scores, positive);
        long totalPositives = 0;
        foreach (var p in positive)
        {
            totalPositives += p ? 1 : 0;
        }

        if (totalPositives == 0)
        {
            return null;
        }

        var order = AscendingOrder(scores);
        var curve = new List<PrecisionRecallPoint>();
        long truePositives = 0, predicted = 0;
        for (var end = order.Length - 1; end >= 0;)
        {
            var start = end;
            while (start - 1 >= 0 && scores[order[start - 1]] == scores[order[end]])
            {
                start--;
            }

            for (var i = start; i <= end; i++)
            {
                truePositives += positive[order[i]] ? 1 : 0;
                predicted++;
            }

            curve.Add(new PrecisionRecallPoint(scores[order[end]], (double)truePositives / predicted, (double)truePositives / totalPositives));
            end = start - 1;
        }

        return curve;
    }

    private static int[] AscendingOrder(ReadOnlySpan<double> scores)
    {
        var order = new int[scores.Length];
        var keys = scores.ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            if (double.IsNaN(keys[i]))
            {
                throw new ArgumentException($"score {i} is NaN; scores must be numbers", nameof(scores));
            }
        }

        Array.Sort(keys, order);
        return order;
    }

    private static void CheckLengths(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {positive.Length} labels; expected one label per score");
        }
    }
}
