using AutoNet.Torch.NN;

namespace AutoNet.Torch.Tests;

/// <summary>What dropout-like modules do in training (PyTorch's RNG differs in draws, so these check the rule, not values).</summary>
public sealed class RegularisationModuleTests
{
    [Fact]
    public void Dropout2d_zeroes_whole_channels_in_training_and_rescales_the_rest()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(8);
        using var dropout = new Dropout2d(0.5);
        var x = Torch.Ones(new long[] { 8, 16, 3, 3 });
        var y = dropout.Forward(x);
        var perChannel = y.Sum(new long[] { 2, 3 }).ToArray<float>();
        Assert.All(perChannel, s => Assert.True(s == 0f || Math.Abs(s - 18f) < 1e-4, $"channel sum {s} is neither 0 nor 9 * 2"));
        Assert.InRange(perChannel.Count(s => s == 0f), 32, 96);
        dropout.Eval();
        Assert.True(dropout.Forward(x).Equal(x));
    }

    [Fact]
    public void Drop_path_drops_whole_samples_in_training_and_is_the_identity_in_eval()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(9);
        using var dropPath = new DropPath(0.25);
        var x = Torch.Ones(new long[] { 400, 2, 3 });
        var perSample = dropPath.Forward(x).Sum(new long[] { 1, 2 }).ToArray<float>();
        Assert.All(perSample, s => Assert.True(s == 0f || Math.Abs(s - (6 / 0.75f)) < 1e-4, $"sample sum {s} is neither 0 nor 6 / 0.75"));
        Assert.InRange(perSample.Count(s => s == 0f), 60, 140);
        dropPath.Eval();
        Assert.True(dropPath.Forward(x).Equal(x));
    }

    [Fact]
    public void Dropout_probabilities_outside_zero_to_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout2d(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropPath(2));
    }
}
