using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

[Collection(TorchStateCollection.Name)]
public sealed class ReinforceStrategyTests
{
    [Fact]
    public void Float_ranges_are_emitted_as_bin_centres_and_small_int_ranges_natively()
    {
        var space = TestSpaces.Shipped("darts");
        using var rl = new ReinforceStrategy(space, 1, bins: 4);
        var choices = rl.Controller.ChoiceCounts;
        var labels = rl.EmittedLabels;

        Assert.Equal(space.Decisions.Select(d => d.Label), labels);
        Assert.Equal(4, choices[Index(labels, SpaceLabels.LearningRate)]);
        Assert.Equal(6, choices[Index(labels, SpaceLabels.Epochs)]);
        Assert.Equal(8, choices[Index(labels, "normal/block0/op0")]);
        // Log range [3e-4, 0.2] in 4 bins: centres at exp(ln lo + (k + ½)/4 · (ln hi − ln lo)).
        var seen = new HashSet<double>();
        for (var i = 0; i < 40; i++)
        {
            seen.Add(rl.Ask()!.GetDouble(SpaceLabels.LearningRate));
        }

        var expected = Enumerable.Range(0, 4).Select(k => Math.Exp(Math.Log(3e-4) + ((k + 0.5) / 4 * (Math.Log(0.2) - Math.Log(3e-4)))));
        Assert.Subset(expected.Select(e => Math.Round(e, 12)).ToHashSet(), seen.Select(s => Math.Round(s, 12)).ToHashSet());
    }

    [Fact]
    public void Inactive_decisions_are_left_out_of_the_sample()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        using var rl = new ReinforceStrategy(space, 2);
        for (var i = 0; i < 30; i++)
        {
            var sample = rl.Ask()!;
            space.Validate(sample);
            Assert.Equal(sample.GetInt32(SpaceLabels.Stages) == 4, sample.Contains(SpaceLabels.StageWidth(4)));
            rl.Tell(sample, 0.5);
        }
    }

    [Fact]
    public void It_learns_to_propose_better_points_from_told_accuracies()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);
        using var rl = new ReinforceStrategy(space, 3, learningRate: 0.02);
        var scores = new List<double>();
        for (var i = 0; i < 150; i++)
        {
            var sample = rl.Ask()!;
            var score = SyntheticObjective.Score(space, sample);
            scores.Add(score);
            rl.Tell(sample, score);
        }

        Assert.True(scores.TakeLast(30).Average() > scores.Take(30).Average() + 0.08,
            $"mean score {scores.Take(30).Average():F3} → {scores.TakeLast(30).Average():F3}");
    }

    [Fact]
    public void Failed_points_and_points_it_did_not_propose_are_learnt_from()
    {
        var space = TestSpaces.Shipped("darts");
        using var rl = new ReinforceStrategy(space, 4);
        var foreign = space.Sample(new SearchRandom(11));

        rl.Tell(rl.Ask()!, null);
        rl.Tell(foreign, 0.8);
        rl.Tell(foreign, 0.7);

        Assert.Equal(3, rl.Controller.Updates);
        // The first reward (a failure) is the baseline's start: 0, then it moves towards the accuracies.
        Assert.InRange(rl.Controller.Baseline!.Value, 0.01, 0.2);
    }

    [Fact]
    public void Asking_and_telling_leaves_no_tensor_behind()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        using var rl = new ReinforceStrategy(space, 5);
        Step(rl, 3);
        var before = AutoNet.Torch.TorchEngine.CountLiveTensors();

        Step(rl, 20);

        Assert.Equal(before, AutoNet.Torch.TorchEngine.CountLiveTensors());
    }

    private static void Step(ReinforceStrategy rl, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var sample = rl.Ask()!;
            rl.Tell(sample, i % 5 == 0 ? null : SyntheticObjective.Score(rl.Space, sample));
        }
    }

    private static int Index(IReadOnlyList<string> labels, string label) => labels.ToList().IndexOf(label);
}
