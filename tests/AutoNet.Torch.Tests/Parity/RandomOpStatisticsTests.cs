using F = AutoNet.Torch.NN.Functional;

namespace AutoNet.Torch.Tests.Parity;

/// <summary>
/// The seeded random ops have the distribution they claim (the exact samples are compared with PyTorch's in
/// <see cref="OpParityTests"/> and <see cref="FunctionalParityTests"/>). Run in the parity collection: they seed the
/// process-wide generator.
/// </summary>
[Collection(ParityCollection.Name)]
public sealed class RandomOpStatisticsTests
{
    [Fact]
    public void Dropout_zeroes_a_fraction_p_and_scales_survivors_by_one_over_one_minus_p()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(31);
        var x = Torch.Ones(new long[] { 200_000 });
        var y = F.Dropout(x, 0.3, training: true);
        var zeros = y.Eq(0.0).Sum().Item<long>() / 200_000.0;
        Assert.InRange(zeros, 0.3 - 0.005, 0.3 + 0.005); // 5 standard deviations
        var survivors = y.MaskedSelect(y.Ne(0.0));
        Assert.True(survivors.Eq(1.0 / 0.7).All().Item<bool>(), "survivors are not scaled by 1/(1-p)");
        Assert.InRange(y.Mean().Item<float>(), 0.985, 1.015);
    }

    [Fact]
    public void Drop_path_drops_whole_samples_with_probability_p()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(32);
        var y = F.DropPath(Torch.Ones(new long[] { 20_000, 3, 2 }), 0.25, training: true);
        var perSample = y.Flatten(1).Min(1).Values;
        Assert.True(perSample.Eq(y.Flatten(1).Max(1).Values).All().Item<bool>(), "a sample was partly dropped");
        var dropped = perSample.Eq(0.0).Sum().Item<long>() / 20_000.0;
        Assert.InRange(dropped, 0.25 - 0.016, 0.25 + 0.016);
    }

    [Fact]
    public void Multinomial_with_replacement_draws_each_class_in_proportion_to_its_weight()
    {
        using var scope = Torch.NewDisposeScope();
        Torch.ManualSeed(33);
        var weights = Torch.FromArray(new float[] { 1, 2, 3, 4 }, 4);
        var samples = Torch.Multinomial(weights, 100_000, replacement: true);
        var counts = Torch.OneHot(samples, 4).Sum(0).ToArray<long>();
        for (var k = 0; k < 4; k++)
        {
            Assert.InRange(counts[k] / 100_000.0, (k + 1) / 10.0 - 0.007, (k + 1) / 10.0 + 0.007);
        }
    }
}
