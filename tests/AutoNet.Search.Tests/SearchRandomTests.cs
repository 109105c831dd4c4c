namespace AutoNet.Search.Tests;

public sealed class SearchRandomTests
{
    [Fact]
    public void The_same_seed_gives_the_same_sequence_and_another_seed_another()
    {
        var a = new SearchRandom(42);
        var b = new SearchRandom(42);
        var c = new SearchRandom(43);

        var first = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();

        Assert.Equal(first, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()));
        Assert.NotEqual(first, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void A_saved_state_continues_the_sequence_exactly()
    {
        var random = new SearchRandom(7);
        for (var i = 0; i < 13; i++)
        {
            random.NextDouble();
        }

        var restored = SearchRandom.FromState(random.State.ToArray());

        Assert.Equal(Enumerable.Range(0, 50).Select(_ => random.NextInt64(1000)).ToArray(), Enumerable.Range(0, 50).Select(_ => restored.NextInt64(1000)));
    }

    [Fact]
    public void Bounded_integers_cover_the_range_evenly()
    {
        var random = new SearchRandom(1);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++)
        {
            counts[random.NextInt32(6)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Doubles_lie_in_the_unit_interval_with_the_mean_of_a_uniform()
    {
        var random = new SearchRandom(3);
        var draws = Enumerable.Range(0, 50_000).Select(_ => random.NextDouble()).ToArray();

        Assert.All(draws, d => Assert.InRange(d, 0.0, 0.9999999999999999));
        Assert.InRange(draws.Average(), 0.49, 0.51);
    }
}
