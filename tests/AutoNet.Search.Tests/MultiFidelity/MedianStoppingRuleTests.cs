using AutoNet.Search.MultiFidelity;

namespace AutoNet.Search.Tests.MultiFidelity;

public sealed class MedianStoppingRuleTests
{
    [Fact]
    public void A_trial_whose_best_is_below_the_median_of_running_averages_stops()
    {
        var rule = new MedianStoppingRule(maxEpochs: 10, gracePeriod: 1, minTrials: 3);
        double[][] others = [[0.5, 0.7], [0.6, 0.8], [0.2, 0.4]];
        for (var t = 0; t < others.Length; t++)
        {
            for (var e = 0; e < 2; e++)
            {
                rule.OnEpochReported(t, e + 1, others[t][e]);
            }
        }

        // Running averages at epoch 2: 0.6, 0.7, 0.3 → median 0.6.
        Assert.Equal(TrialAction.Continue, rule.OnEpochReported(10, 1, 0.1)); // grace period
        Assert.Equal(TrialAction.Stop, rule.OnEpochReported(10, 2, 0.59));
        Assert.Equal(TrialAction.Continue, rule.OnEpochReported(11, 1, 0.61));
        Assert.Equal(TrialAction.Continue, rule.OnEpochReported(11, 2, 0.3)); // best so far 0.61 ≥ 0.6
    }

    [Fact]
    public void A_rule_restored_from_stored_scores_compares_against_them_and_ignores_a_failed_trial()
    {
        var rule = new MedianStoppingRule(maxEpochs: 10, gracePeriod: 1, minTrials: 3);
        rule.Restore(new TrialHistory(0, 2, [new EpochScore(1, 0.5), new EpochScore(2, 0.7)], Finished: true, Failed: false));
        rule.Restore(new TrialHistory(1, 2, [new EpochScore(1, 0.6), new EpochScore(2, 0.8)], false, false));
        rule.Restore(new TrialHistory(2, 2, [new EpochScore(1, 0.2), new EpochScore(2, 0.4)], false, false));
        rule.Restore(new TrialHistory(3, 2, [new EpochScore(1, 0.1), new EpochScore(2, 0.1)], true, Failed: true));

        // As the uninterrupted rule above: running averages at epoch 2 are 0.6, 0.7, 0.3 (the failed trial left out).
        Assert.Equal(TrialAction.Continue, rule.OnEpochReported(10, 1, 0.1));
        Assert.Equal(TrialAction.Stop, rule.OnEpochReported(10, 2, 0.59));
        Assert.Equal(TrialAction.Continue, rule.OnEpochReported(11, 1, 0.61));
        Assert.Equal(TrialAction.Continue, rule.OnEpochReported(11, 2, 0.3));
    }

    [Fact]
    public void Nothing_stops_before_enough_trials_reached_the_epoch()
    {
        var rule = new MedianStoppingRule(maxEpochs: 10, gracePeriod: 0, minTrials: 3);
        rule.OnEpochReported(0, 1, 0.9);
        rule.OnEpochReported(1, 1, 0.9);

        Assert.Equal(TrialAction.Continue, rule.OnEpochReported(2, 1, 0.1));
        Assert.Equal(TrialAction.Stop, rule.OnEpochReported(3, 1, 0.1)); // others: 0.9, 0.9, 0.1 → median 0.9
    }

    [Fact]
    public void The_fifo_scheduler_never_stops_and_targets_the_full_budget()
    {
        var fifo = new FifoScheduler(7);

        Assert.Equal(TrialAction.Continue, fifo.OnEpochReported(0, 1, 0.0));
        Assert.Equal(7, fifo.FirstTarget);
        Assert.Null(fifo.NextResumption());
    }
}
