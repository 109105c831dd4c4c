using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

public sealed class CombinedStrategyTests
{
    [Fact]
    public void The_architecture_comes_from_the_architecture_strategy_and_the_hyperparameters_from_tpe()
    {
        var space = TestSpaces.Shipped("darts");
        var combined = new CombinedStrategy(new RandomSearch(space, 5), new TpeStrategy(space, 6, startupTrials: 3));
        var alone = new RandomSearch(space, 5);
        var tpe = new TpeStrategy(space, 6, startupTrials: 3);
        for (var i = 0; i < 8; i++)
        {
            var architecture = alone.Ask()!;
            var sample = combined.Ask()!;
            Assert.All(space.Decisions.Where(d => d.Role != DecisionRole.Hyperparameter), d => Assert.Equal(architecture[d.Label], sample[d.Label]));
            Assert.Equal(tpe.Propose(architecture, d => d.Role == DecisionRole.Hyperparameter), sample);
            var score = SyntheticObjective.Score(space, sample);
            combined.Tell(sample, score);
            tpe.Tell(sample, score);
        }

        Assert.Equal("random+tpe", combined.Name);
    }

    [Fact]
    public void The_architecture_strategy_is_told_the_point_it_proposed()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var recorder = new RecordingStrategy(new RandomSearch(space, 1));
        var combined = new CombinedStrategy(recorder, new TpeStrategy(space, 2));

        var sample = combined.Ask()!;
        combined.Tell(sample, 0.5);

        Assert.Equal(recorder.Asked, recorder.Told.Select(t => t.Sample));
        Assert.Equal(1, combined.Hyperparameters.Observations);
    }
}
