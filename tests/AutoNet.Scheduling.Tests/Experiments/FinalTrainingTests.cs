using AutoNet.Scheduling.Experiments;
using AutoNet.Store;
using static AutoNet.Scheduling.Tests.Experiments.StoredTrials;

namespace AutoNet.Scheduling.Tests.Experiments;

/// <summary>Which search trial the final training retrains.</summary>
public sealed class FinalTrainingTests
{
    [Fact]
    public void The_winner_is_the_best_completed_search_trial_and_a_final_trial_or_a_failure_never_is()
    {
        Trial[] trials =
        [
            Make(1, TrialState.Completed, 9, 0.80),
            Make(2, TrialState.Pruned, 3, 0.95),
            Make(3, TrialState.Completed, 9, 0.85),
            Make(4, TrialState.Completed, 9, 0.85),
            Make(5, TrialState.Failed, 2, 0.99),
            Make(6, TrialState.Completed, 20, 0.99, TrialRole.Final),
        ];

        Assert.Equal(3, FinalTraining.ChooseWinner(trials)!.Number);
    }

    [Fact]
    public void With_no_completed_trial_the_survivor_of_the_most_rungs_wins_then_the_best_score()
    {
        Trial[] trials =
        [
            Make(1, TrialState.Pruned, 1, 0.90),
            Make(2, TrialState.Pruned, 3, 0.70),
            Make(3, TrialState.Pruned, 3, 0.75),
            Make(4, TrialState.Waiting, 0, null),
        ];

        Assert.Equal(3, FinalTraining.ChooseWinner(trials)!.Number);
        Assert.Null(FinalTraining.ChooseWinner([Make(1, TrialState.Waiting, 0, null), Make(2, TrialState.Failed, 1, 0.5)]));
    }
}
