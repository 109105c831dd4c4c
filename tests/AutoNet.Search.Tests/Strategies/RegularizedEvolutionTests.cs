using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

public sealed class RegularizedEvolutionTests
{
    private static readonly long[] Seeds = [1, 2, 3, 4, 5];

    [Fact]
    public void It_finds_better_points_than_random_search_on_a_synthetic_objective()
    {
        var space = TestSpaces.Shipped("darts");
        var evolution = Seeds.Average(seed => SyntheticObjective.Best(new RegularizedEvolution(space, seed), 120));
        var random = Seeds.Average(seed => SyntheticObjective.Best(new RandomSearch(space, seed), 120));

        Assert.True(evolution > random + 0.1, $"mean best score: evolution {evolution:F3}, random {random:F3}");
    }

    [Fact]
    public void The_first_population_is_random_and_each_child_changes_one_decision_of_a_living_member()
    {
        var space = TestSpaces.Shipped("darts");
        var evolution = new RegularizedEvolution(space, 9, populationSize: 6, sampleSize: 3);
        var random = new SearchRandom(9);
        for (var i = 0; i < 6; i++)
        {
            var sample = evolution.Ask()!;
            Assert.Equal(space.Sample(random), sample);
            evolution.Tell(sample, SyntheticObjective.Score(space, sample));
        }

        for (var i = 0; i < 30; i++)
        {
            var living = evolution.Population.Select(m => m.Sample).ToList();
            var child = evolution.Ask()!;
            // hp/optimizer brings hp/momentum in or out with it; every other mutation changes exactly one value.
            Assert.Contains(living, parent => Differences(parent, child) is { Count: 1 } or ["hp/momentum", "hp/optimizer"]);
            evolution.Tell(child, SyntheticObjective.Score(space, child));
        }
    }

    [Fact]
    public void The_oldest_member_dies_and_failed_children_get_no_place()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var evolution = new RegularizedEvolution(space, 4, populationSize: 3, sampleSize: 2);
        var told = new List<SearchSample>();
        for (var i = 0; i < 5; i++)
        {
            var sample = evolution.Ask()!;
            evolution.Tell(sample, i == 3 ? null : 0.1 * i);
            if (i != 3)
            {
                told.Add(sample);
            }
        }

        Assert.Equal(told.TakeLast(3), evolution.Population.Select(m => m.Sample));
        Assert.Equal([0.1, 0.2, 0.4], evolution.Population.Select(m => Math.Round(m.Score, 6)));
    }

    [Fact]
    public void A_failed_point_of_the_first_population_is_replaced_by_another_random_one()
    {
        var space = TestSpaces.Shipped("macro-cnn");
        var evolution = new RegularizedEvolution(space, 6, populationSize: 3, sampleSize: 2);
        var random = new SearchRandom(6);
        for (var i = 0; i < 4; i++)
        {
            var sample = evolution.Ask()!;
            Assert.Equal(space.Sample(random), sample);
            evolution.Tell(sample, i == 1 ? null : 0.5);
        }

        Assert.Equal(3, evolution.Population.Count);
        Assert.NotEqual(space.Sample(random), evolution.Ask());
    }

    [Fact]
    public void Mutations_can_be_kept_to_architecture_decisions()
    {
        var space = TestSpaces.Shipped("darts");
        var evolution = new RegularizedEvolution(space, 2, populationSize: 4, sampleSize: 2,
            mutableRoles: [DecisionRole.CellOp, DecisionRole.CellInput, DecisionRole.Architecture]);
        for (var i = 0; i < 4; i++)
        {
            var sample = evolution.Ask()!;
            evolution.Tell(sample, i);
        }

        for (var i = 0; i < 20; i++)
        {
            var living = evolution.Population.Select(m => m.Sample).ToList();
            var child = evolution.Ask()!;
            Assert.Contains(living, parent => Differences(parent, child) is [var label] && !label.StartsWith("hp/", StringComparison.Ordinal));
            evolution.Tell(child, 0.5);
        }
    }

    private static List<string> Differences(SearchSample a, SearchSample b) =>
        [.. a.Labels.Union(b.Labels).Where(l => !a.TryGetValue(l, out var x) || !b.TryGetValue(l, out var y) || x != y).Order(StringComparer.Ordinal)];
}
