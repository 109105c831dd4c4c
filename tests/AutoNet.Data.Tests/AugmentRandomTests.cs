using AutoNet.Data.Augmentation;

namespace AutoNet.Data.Tests;

public sealed class AugmentRandomTests
{
    [Fact]
    public void The_same_seed_and_stream_give_the_same_numbers_and_others_differ()
    {
        var a = AugmentRandom.For(7, 1, 2);
        var b = AugmentRandom.For(7, 1, 2);
        var first = Enumerable.Range(0, 16).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 16).Select(_ => b.NextUInt64()));
        Assert.NotEqual(AugmentRandom.Derive(7, 1, 2), AugmentRandom.Derive(7, 2, 1));
        Assert.NotEqual(AugmentRandom.Derive(7, 1, 2), AugmentRandom.Derive(8, 1, 2));
        Assert.NotEqual(AugmentRandom.Derive(7, 1), AugmentRandom.Derive(7, 1, 0));
    }

    [Fact]
    public void Integers_stay_in_range_and_cover_it()
    {
        var random = new AugmentRandom(3);
        var counts = new int[7];
        for (var i = 0; i < 7000; i++)
        {
            counts[random.NextInt(7)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
        Assert.All(Enumerable.Range(0, 100).Select(_ => random.NextInt(-3, 2)), v => Assert.InRange(v, -3, 1));
    }

    [Fact]
    public void Permutation_holds_every_index_once()
    {
        var permutation = new AugmentRandom(11).Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), permutation.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), permutation);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(1.0)]
    [InlineData(4.0)]
    public void Beta_draws_have_the_mean_and_variance_of_Beta_alpha_alpha(double alpha)
    {
        var random = new AugmentRandom(5);
        var draws = Enumerable.Range(0, 40000).Select(_ => random.Beta(alpha, alpha)).ToArray();
        var mean = draws.Average();
        var variance = draws.Select(d => (d - mean) * (d - mean)).Average();
        Assert.All(draws, d => Assert.InRange(d, 0.0, 1.0));
        Assert.InRange(mean, 0.49, 0.51);
        var expected = 1.0 / (4.0 * ((2.0 * alpha) + 1.0));
        Assert.InRange(variance, expected * 0.95, expected * 1.05);
    }
}
