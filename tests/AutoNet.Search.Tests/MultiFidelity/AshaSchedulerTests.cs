using AutoNet.Search.MultiFidelity;

namespace AutoNet.Search.Tests.MultiFidelity;

public sealed class AshaSchedulerTests
{
    [Fact]
    public void Rungs_sit_at_r_times_powers_of_eta_below_the_full_budget()
    {
        Assert.Equal([1, 3, 9], new AshaScheduler(minEpochs: 1, maxEpochs: 27, reductionFactor: 3).RungEpochs);
        Assert.Equal([2, 4, 8, 16], new AshaScheduler(minEpochs: 2, maxEpochs: 20, reductionFactor: 2).RungEpochs);
        Assert.Empty(new AshaScheduler(minEpochs: 5, maxEpochs: 5).RungEpochs);
        Assert.Equal(5, new AshaScheduler(minEpochs: 5, maxEpochs: 5).FirstTarget);
    }

    [Fact]
    public void Promotions_and_pauses_follow_the_hand_computed_sequence()
    {
        // η = 3, rungs at 1 and 3 epochs, full budget 9.
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3);

        // Rung 0: with n results, the top ⌊n/3⌋ may leave.
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(0, 1, 0.50)); // n=1: quota 0
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(1, 1, 0.70)); // n=2: quota 0
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(2, 1, 0.60)); // n=3: quota 1 = trial 1 (0.70), not trial 2
        Assert.Equal(new TrialResumption(1, 3), asha.NextResumption());
        Assert.Null(asha.NextResumption());
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(3, 1, 0.55)); // n=4: quota 1, already used by trial 1
        Assert.Equal(0.70, asha.CutOff(0));
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(4, 1, 0.40)); // n=5: quota 1
        Assert.Equal(TrialAction.Continue, asha.OnEpochReported(5, 1, 0.65)); // n=6: quota 2 = {1, 5}: promoted at once
        Assert.Equal(3, asha.TargetEpoch(5));

        // Rung 1 (epoch 3): trial 1 then trial 5.
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(1, 3, 0.80));
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(5, 3, 0.85));
        Assert.Null(asha.NextResumption());
        Assert.Equal(3, asha.TargetEpoch(1));

        // Three more at rung 0 raise its quota to 3: trial 6 (0.90) is best and goes at once.
        Assert.Equal(TrialAction.Continue, asha.OnEpochReported(6, 1, 0.90)); // n=7: quota 2 → top {6, 1}; 6 unpromoted
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(7, 1, 0.30)); // n=8: quota 2
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(8, 1, 0.45)); // n=9: quota 3 → top {6, 1, 5}, all promoted
        Assert.Null(asha.NextResumption());

        // Trial 6 reaches rung 1: n=3, quota 1 → the best is trial 6 (0.95): promoted to the full budget.
        Assert.Equal(TrialAction.Continue, asha.OnEpochReported(6, 3, 0.95));
        Assert.Equal(9, asha.TargetEpoch(6));
        Assert.Equal([0, 1, 2, 3, 4, 5, 7, 8], asha.PausedTrials());
    }

    [Fact]
    public void A_scheduler_restored_from_stored_scores_decides_on_as_the_uninterrupted_one()
    {
        // The hand-computed sequence above, interrupted after trial 5 paused at rung 1 and taken back from the store.
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3);
        EpochScore[] At1(double score) => [new EpochScore(1, score)];
        asha.Restore(new TrialHistory(0, 1, At1(0.50), Finished: false, Failed: false));
        asha.Restore(new TrialHistory(1, 3, [new EpochScore(1, 0.70), new EpochScore(2, 0.75), new EpochScore(3, 0.80)], false, false));
        asha.Restore(new TrialHistory(2, 1, At1(0.60), false, false));
        asha.Restore(new TrialHistory(3, 1, At1(0.55), false, false));
        asha.Restore(new TrialHistory(4, 1, At1(0.40), false, false));
        asha.Restore(new TrialHistory(5, 3, [new EpochScore(1, 0.65), new EpochScore(2, 0.70), new EpochScore(3, 0.85)], false, false));

        Assert.Null(asha.NextResumption());
        Assert.Equal(3, asha.TargetEpoch(1));
        Assert.Equal(1, asha.TargetEpoch(0));
        Assert.Equal(0.65, asha.CutOff(0)); // n=6, quota 2: trials 1 and 5
        Assert.Equal(TrialAction.Continue, asha.OnEpochReported(6, 1, 0.90));
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(7, 1, 0.30));
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(8, 1, 0.45));
        Assert.Null(asha.NextResumption());
        Assert.Equal(TrialAction.Continue, asha.OnEpochReported(6, 3, 0.95));
        Assert.Equal(9, asha.TargetEpoch(6));
        Assert.Equal([0, 1, 2, 3, 4, 5, 7, 8], asha.PausedTrials());
    }

    [Fact]
    public void After_a_restore_a_paused_trial_earns_its_promotion_and_an_ended_or_failed_one_never_does()
    {
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3);
        asha.Restore(new TrialHistory(1, 1, [new EpochScore(1, 0.90)], Finished: true, Failed: false)); // pruned at rung 0
        asha.Restore(new TrialHistory(2, 1, [new EpochScore(1, 0.80)], Finished: true, Failed: true));
        asha.Restore(new TrialHistory(3, 1, [new EpochScore(1, 0.70)], Finished: false, Failed: false));

        Assert.Null(asha.NextResumption()); // n=3, quota 1: trial 1, which has ended

        asha.OnEpochReported(4, 1, 0.10);
        asha.OnEpochReported(5, 1, 0.20);
        asha.OnEpochReported(6, 1, 0.30); // n=6, quota 2: trials 1 and 2, neither can go on
        Assert.Null(asha.NextResumption());
        asha.OnEpochReported(7, 1, 0.05);
        asha.OnEpochReported(8, 1, 0.04);
        asha.OnEpochReported(9, 1, 0.03); // n=9, quota 3: trial 3 is third
        Assert.Equal(new TrialResumption(3, 3), asha.NextResumption());
        Assert.DoesNotContain(1, asha.PausedTrials());
        Assert.DoesNotContain(2, asha.PausedTrials());
    }

    [Fact]
    public void Higher_rungs_are_promoted_first_when_a_slot_frees()
    {
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 2);
        asha.OnEpochReported(0, 1, 0.1);
        asha.OnEpochReported(1, 1, 0.2); // n=2, quota 1 → trial 1 promoted at once
        asha.OnEpochReported(1, 2, 0.5); // rung 2 epochs: n=1, quota 0 → paused
        asha.OnEpochReported(2, 1, 0.3); // n=3, quota 1 → top {2}: promoted at once
        asha.OnEpochReported(2, 2, 0.4); // rung 2: n=2, quota 1 → top {1} (0.5): trial 2 pauses, trial 1 promotable
        asha.OnEpochReported(3, 1, 0.05); // rung 1: n=4, quota 2 → top {2, 1} both promoted; trial 0 not

        Assert.Equal(new TrialResumption(1, 4), asha.NextResumption());
        Assert.Null(asha.NextResumption());
    }

    [Fact]
    public void A_re_reported_rung_keeps_its_first_decision_and_a_failed_trial_is_never_promoted()
    {
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 4, reductionFactor: 2);
        asha.OnEpochReported(0, 1, 0.9);
        Assert.Equal(TrialAction.Continue, asha.OnEpochReported(1, 1, 0.95));
        Assert.Equal(TrialAction.Continue, asha.OnEpochReported(1, 1, 0.10));
        asha.OnTrialFailed(0);
        asha.OnEpochReported(2, 1, 0.2);
        asha.OnEpochReported(3, 1, 0.3); // n=4, quota 2 → top {1, 0}; 0 failed

        Assert.Null(asha.NextResumption());
        Assert.Equal([2, 3], asha.PausedTrials());
    }

    [Fact]
    public void With_no_more_trials_to_come_the_best_of_a_rung_too_small_for_a_promotion_finishes()
    {
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3);
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(1, 1, 0.40));
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(2, 1, 0.55));
        // Two results at a rung of η = 3: the ⌊n/η⌋ quota promotes nobody, so both would be pruned.
        Assert.Null(asha.NextResumption());

        var resumed = asha.FinishingResumption();
        Assert.Equal(new TrialResumption(2, 3), resumed);
        Assert.Null(asha.FinishingResumption());
        Assert.Equal(TrialAction.Pause, asha.OnEpochReported(2, 3, 0.60));
        // Alone at the next rung, it climbs on to its full budget, one rung at a time.
        Assert.Equal(new TrialResumption(2, 9), asha.FinishingResumption());
        Assert.Equal([1], asha.PausedTrials());
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, null)]
    public void Finishing_keeps_the_top_third_rounded_up_and_never_a_failed_trial(bool secondFailed, int? finished)
    {
        var asha = new AshaScheduler(minEpochs: 1, maxEpochs: 9, reductionFactor: 3);
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.5];
        for (var trial = 1; trial <= scores.Length; trial++)
        {
            asha.OnEpochReported(trial, 1, scores[trial - 1]);
        }

        // ⌊5/3⌋ = 1 promotes trial 1 while trials may still come; ⌈5/3⌉ = 2 lets trial 2 on as well once none will.
        Assert.Equal(new TrialResumption(1, 3), asha.NextResumption());
        if (secondFailed)
        {
            asha.OnTrialFailed(2);
        }

        Assert.Equal(finished, asha.FinishingResumption()?.TrialNumber);
        Assert.Null(asha.FinishingResumption());
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_allowed_range()
    {
        Assert.Contains("at least 2", Assert.Throws<ArgumentOutOfRangeException>(() => new AshaScheduler(1, 9, 1)).Message);
        Assert.Contains("at least the minimum", Assert.Throws<ArgumentOutOfRangeException>(() => new AshaScheduler(4, 2)).Message);
    }
}
