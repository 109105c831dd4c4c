using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

public sealed class TpeStrategyTests
{
    private static readonly long[] Seeds = [1, 2, 3, 4, 5];

    [Fact]
    public void It_finds_better_hyperparameters_than_random_search_on_a_synthetic_objective()
    {
        var space = TestSpaces.Shipped("darts");
        static bool Hyperparameter(SearchParameter d) => d.Role == DecisionRole.Hyperparameter;
        var tpe = Seeds.Average(seed => SyntheticObjective.Best(new TpeStrategy(space, seed), 60, Hyperparameter));
        var random = Seeds.Average(seed => SyntheticObjective.Best(new RandomSearch(space, seed), 60, Hyperparameter));

        Assert.True(tpe > random + 0.03, $"mean best score: tpe {tpe:F3}, random {random:F3}");
    }

    [Fact]
    public void Before_its_startup_trials_it_draws_valid_points_and_conditionals_follow_their_parent()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var tpe = new TpeStrategy(space, 3, startupTrials: 5);
        for (var i = 0; i < 25; i++)
        {
            var sample = tpe.Ask()!;
            space.Validate(sample);
            Assert.Equal(sample.GetString(SpaceLabels.Optimizer) == "sgd", sample.Contains(SpaceLabels.Momentum));
            tpe.Tell(sample, i % 4 == 0 ? null : SyntheticObjective.Score(space, sample));
        }

        Assert.Equal(25, tpe.Observations);
    }

    [Fact]
    public void Given_values_are_kept_and_only_the_selected_decisions_are_suggested()
    {
        var space = TestSpaces.Shipped("darts");
        var tpe = new TpeStrategy(space, 4);
        var architecture = space.Sample(new SearchRandom(8));

        var sample = tpe.Propose(architecture, d => d.Role == DecisionRole.Hyperparameter);

        Assert.All(space.Decisions.Where(d => d.Role != DecisionRole.Hyperparameter), d => Assert.Equal(architecture[d.Label], sample[d.Label]));
        space.Validate(sample);
    }
}
