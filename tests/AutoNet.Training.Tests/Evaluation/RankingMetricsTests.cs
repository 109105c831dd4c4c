using AutoNet.Training.Evaluation;

namespace AutoNet.Training.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    [Fact]
    public void The_precision_recall_curve_steps_through_distinct_scores_from_the_highest_down()
    {
        // Worked by hand: scores 0.9+, 0.8-, 0.7+ 0.7- (a tie), 0.1+.
        double[] scores = [0.9, 0.8, 0.7, 0.7, 0.1];
        bool[] positive = [true, false, true, false, true];

        var curve = RankingMetrics.PrecisionRecallCurve(scores, positive)!;

        Assert.Equal([0.9, 0.8, 0.7, 0.1], curve.Select(p => p.Threshold));
        Assert.Equal([1.0, 0.5, 0.5, 0.6], curve.Select(p => Math.Round(p.Precision, 12)));
        Assert.Equal([1 / 3.0, 1 / 3.0, 2 / 3.0, 1.0], curve.Select(p => p.Recall));
        // AP = 1/3·1 + 0 + 1/3·0.5 + 1/3·0.6
        Assert.Equal((1 + 0.5 + 0.6) / 3, RankingMetrics.AveragePrecision(scores, positive)!.Value, 12);
    }

    [Fact]
    public void Without_a_positive_there_is_no_curve()
    {
        Assert.Null(RankingMetrics.PrecisionRecallCurve([0.3, 0.2], [false, false]));
    }
}
