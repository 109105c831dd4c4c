using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

/// <summary>What every strategy promises: valid points, the same sequence for the same seed, and an exact continuation after save/restore.</summary>
[Collection(TorchStateCollection.Name)]
public sealed class StrategyContractTests
{
    public static TheoryData<string, string> Strategies()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in StrategyFactory.Names.Where(n => n != "grid"))
        {
            data.Add(name, "darts");
            data.Add(name, "macro-cnn");
        }

        data.Add("grid", "conditional");
        return data;
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void The_same_seed_gives_the_same_proposals_with_results_told(string name, string space)
    {
        var first = Run(Create(name, space, 5), 14);
        var second = Run(Create(name, space, 5), 14);

        Assert.Equal(first, second);
        if (name != "grid")
        {
            Assert.NotEqual(first, Run(Create(name, space, 6), 14));
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_restored_state_continues_exactly_with_results_still_outstanding(string name, string space)
    {
        var straight = Run(Create(name, space, 21), 16);

        var interrupted = Create(name, space, 21);
        var outstanding = new Queue<SearchSample>();
        var before = Run(interrupted, 9, outstanding);
        var state = interrupted.SaveState();
        Dispose(interrupted);
        var resumed = Create(name, space, 1234);
        resumed.LoadState(state);
        var after = Run(resumed, 7, outstanding);
        Dispose(resumed);

        Assert.Equal(straight, [.. before, .. after]);
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Every_proposal_is_a_valid_point_even_after_failures(string name, string space)
    {
        var strategy = Create(name, space, 8);
        for (var i = 0; i < 12; i++)
        {
            var sample = strategy.Ask()!;
            strategy.Space.Validate(sample);
            strategy.Tell(sample, i % 3 == 0 ? null : SyntheticObjective.Score(strategy.Space, sample));
        }

        Dispose(strategy);
    }

    [Fact]
    public void A_state_saved_by_another_strategy_is_refused_naming_both()
    {
        var darts = TestSpaces.Shipped("darts");
        var evolution = new RegularizedEvolution(darts, 1);
        var tpe = new TpeStrategy(darts, 1);

        var error = Assert.Throws<ArgumentException>(() => evolution.LoadState(tpe.SaveState()));

        Assert.Contains("'tpe'", error.Message);
        Assert.Contains("'evolution'", error.Message);
    }

    // Asks `count` points, telling each result two asks later (results arrive out of step with proposals), and
    // returns the proposals' hashes; `outstanding` carries the untold points across a save/restore.
    private static List<string> Run(ISearchStrategy strategy, int count, Queue<SearchSample>? outstanding = null)
    {
        outstanding ??= new Queue<SearchSample>();
        var hashes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var sample = strategy.Ask();
            Assert.NotNull(sample);
            hashes.Add(sample.Hash);
            outstanding.Enqueue(sample);
            if (outstanding.Count > 2)
            {
                var told = outstanding.Dequeue();
                strategy.Tell(told, told.Hash[0] == 'f' ? null : SyntheticObjective.Score(strategy.Space, told));
            }
        }

        return hashes;
    }

    private static ISearchStrategy Create(string name, string space, long seed)
    {
        var searched = space == "conditional" ? TestSpaces.Parse(TestSpaces.Conditional) : TestSpaces.Shipped(space);
        return StrategyFactory.Create(name, searched, seed, new SyntheticScorer(searched), poolSize: 40);
    }

    private static void Dispose(ISearchStrategy strategy) => (strategy as IDisposable)?.Dispose();
}
