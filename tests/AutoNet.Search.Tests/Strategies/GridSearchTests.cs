using AutoNet.Search.Spaces;
using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

public sealed class GridSearchTests
{
    [Fact]
    public void It_proposes_every_point_of_the_grid_once_then_is_exhausted()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);
        var grid = new GridSearch(space);
        var proposed = new List<SearchSample>();
        while (!grid.IsExhausted)
        {
            proposed.Add(grid.Ask()!);
        }

        // Counted by hand: depth 1 (wide absent) or 2-3 (wide 2 ways) = 5 architectures; optimizer adamw (1), or sgd
        // with momentum 0.9 (1) or 0.95 with nesterov 2 ways = 4 optimizer settings; batch size 4 ways: 5 × 4 × 4 = 80.
        Assert.Equal(80, proposed.Count);
        Assert.Equal(80, grid.Count);
        Assert.Equal(80, proposed.Select(p => p.Hash).Distinct().Count());
        Assert.All(proposed, space.Validate);
        Assert.Equal(SearchGrid.Enumerate(space).Select(p => p.Hash), proposed.Select(p => p.Hash));
        Assert.Null(grid.Ask());
    }

    [Fact]
    public void A_space_with_a_continuous_decision_is_refused_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new GridSearch(TestSpaces.Shipped("darts")));

        Assert.Contains("'hp/momentum' is continuous", error.Message);
    }

    [Fact]
    public void A_grid_over_the_limit_is_refused_naming_its_largest_decisions()
    {
        var space = TestSpaces.Parse(TestSpaces.Conditional);

        var error = Assert.Throws<InvalidOperationException>(() => new GridSearch(space, limit: 50));

        Assert.Contains("80 points", error.Message);
        Assert.Contains("batch_size (4)", error.Message);
    }
}
