using AutoNet.Scheduling.Experiments;
using AutoNet.Store;
using static AutoNet.Scheduling.Tests.Experiments.StoredTrials;

namespace AutoNet.Scheduling.Tests.Experiments;

/// <summary>Which trial `best` names.</summary>
public sealed class SearchWinnerTests
{
    [Fact]
    public void The_final_training_wins_then_the_best_completed_trial_by_validation_then_by_number()
    {
        Trial[] trials =
        [
            Make(1, TrialState.Completed, 9, 0.80),
            Make(2, TrialState.Pruned, 3, 0.95),
            Make(3, TrialState.Completed, 9, 0.85),
            Make(4, TrialState.Completed, 9, 0.85),
        ];

        Assert.Equal((3, WinnerKind.Completed), Pick(trials));
        Assert.Equal((5, WinnerKind.FinalTraining), Pick([.. trials, Make(5, TrialState.Completed, 20, 0.70, TrialRole.Final)]));
    }

    [Fact]
    public void With_every_trial_stopped_early_the_best_checkpointed_one_is_named_and_said_to_be_so()
    {
        Trial[] trials =
        [
            Make(1, TrialState.Pruned, 1, 0.60),
            Make(2, TrialState.Pruned, 3, 0.72),
            Make(3, TrialState.Failed, 2, 0.99),
            Make(4, TrialState.Waiting, 0, null),
        ];

        var winner = SearchWinner.Choose(trials)!;
        Assert.Equal((2, WinnerKind.BestPruned), (winner.Trial.Number, winner.Kind));
        Assert.Contains("pruned after 3 epochs", winner.Describe(), StringComparison.Ordinal);
        Assert.Contains("no trial trained its full budget", winner.Describe(), StringComparison.Ordinal);
        Assert.Null(SearchWinner.Choose([Make(1, TrialState.Waiting, 0, null), Make(2, TrialState.Failed, 1, 0.5)]));
    }

    private static (long, WinnerKind) Pick(IEnumerable<Trial> trials) => SearchWinner.Choose(trials) is { } w ? (w.Trial.Number, w.Kind) : (0, default);
}
