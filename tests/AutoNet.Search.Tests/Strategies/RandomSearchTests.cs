using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;

namespace AutoNet.Search.Tests.Strategies;

public sealed class RandomSearchTests
{
    private static SearchSpace Space => SearchSpaceCatalog.Default.Resolve("macro-cnn");

    [Fact]
    public void The_same_seed_gives_the_same_proposals_and_another_seed_does_not()
    {
        var first = Proposals(new RandomSearch(Space, 7), 20);
        Assert.Equal(first, Proposals(new RandomSearch(Space, 7), 20));
        Assert.NotEqual(first, Proposals(new RandomSearch(Space, 8), 20));
        Assert.All(first, hash => Assert.Matches("^[0-9a-f]{64}$", hash));
    }

    [Fact]
    public void Every_proposal_is_a_valid_point_of_the_space()
    {
        var strategy = new RandomSearch(Space, 3);
        for (var i = 0; i < 50; i++)
        {
            Space.Validate(strategy.Ask()!);
        }
    }

    [Fact]
    public void A_restored_state_continues_the_uninterrupted_sequence()
    {
        var straight = Proposals(new RandomSearch(Space, 11), 10);
        var interrupted = new RandomSearch(Space, 11);
        var before = Proposals(interrupted, 4);
        var resumed = new RandomSearch(Space, 999);
        resumed.LoadState(interrupted.SaveState());
        Assert.Equal(straight, [.. before, .. Proposals(resumed, 6)]);
    }

    [Fact]
    public void A_state_from_another_space_is_refused_with_both_names()
    {
        var other = new RandomSearch(SearchSpaceCatalog.Default.Resolve("darts"), 1);
        var error = Assert.Throws<ArgumentException>(() => new RandomSearch(Space, 1).LoadState(other.SaveState()));
        Assert.Contains("darts", error.Message);
        Assert.Contains("macro-cnn", error.Message);
    }

    private static List<string> Proposals(ISearchStrategy strategy, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => strategy.Ask()!.Hash)];
}
