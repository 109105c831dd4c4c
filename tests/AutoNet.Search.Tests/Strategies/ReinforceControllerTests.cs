using AutoNet.Search.Strategies.Reinforce;

namespace AutoNet.Search.Tests.Strategies;

[Collection(TorchStateCollection.Name)]
public sealed class ReinforceControllerTests
{
    private static readonly int[] Counts = [8, 2, 8, 3, 8, 4];

    [Fact]
    public void The_same_seed_gives_the_same_proposals()
    {
        using var first = new ReinforceController(Counts, seed: 4);
        using var second = new ReinforceController(Counts, seed: 4);
        var u1 = new Random(9);
        var u2 = new Random(9);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(first.Sample(u1.NextDouble), second.Sample(u2.NextDouble));
        }
    }

    [Fact]
    public void Policy_gradient_steps_make_rewarded_choices_more_likely()
    {
        // The reward is the share of decisions that pick choice 1: the controller must find it.
        using var controller = new ReinforceController(Counts, seed: 1, learningRate: 1e-3);
        var uniform = new Random(2);
        int[] target = [1, 1, 1, 1, 1, 1];
        var before = controller.LogProbability(target);
        var rewards = new List<double>();
        for (var trial = 0; trial < 200; trial++)
        {
            var choices = controller.Sample(uniform.NextDouble);
            var reward = choices.Count(c => c == 1) / (double)choices.Length;
            rewards.Add(reward);
            controller.Update(choices, reward);
        }

        var after = controller.LogProbability(target);
        Assert.True(after > before + 2, $"log π(target) went from {before:F2} to {after:F2}");
        Assert.True(rewards.TakeLast(30).Average() > rewards.Take(30).Average() + 0.2,
            $"mean reward {rewards.Take(30).Average():F2} → {rewards.TakeLast(30).Average():F2}");
        Assert.Equal(200, controller.Updates);
        Assert.NotNull(controller.Baseline);
    }

    [Fact]
    public void A_restored_controller_continues_exactly_where_the_saved_one_was()
    {
        using var original = new ReinforceController(Counts, seed: 3, learningRate: 0.01);
        var uniform = new Random(5);
        for (var i = 0; i < 10; i++)
        {
            var choices = original.Sample(uniform.NextDouble);
            original.Update(choices, choices.Sum() / 30.0);
        }

        var state = original.SaveState();
        using var restored = new ReinforceController(Counts, seed: 99, learningRate: 0.01);
        restored.LoadState(state);

        Assert.Equal(original.Baseline, restored.Baseline);
        Assert.Equal(original.Updates, restored.Updates);
        int[] probe = [0, 1, 2, 0, 3, 1];
        Assert.Equal(original.LogProbability(probe), restored.LogProbability(probe));
        original.Update(probe, 0.9);
        restored.Update(probe, 0.9);
        Assert.Equal(original.LogProbability(probe), restored.LogProbability(probe));
        var a = new Random(7);
        var b = new Random(7);
        Assert.Equal(original.Sample(a.NextDouble), restored.Sample(b.NextDouble));
    }

    [Fact]
    public void A_forced_choice_outside_its_decision_is_refused()
    {
        using var controller = new ReinforceController(Counts, seed: 0);

        var error = Assert.Throws<ArgumentException>(() => controller.LogProbability([0, 2, 0, 0, 0, 0]));

        Assert.Contains("decision 1", error.Message);
        Assert.Contains("0..1", error.Message);
    }
}
