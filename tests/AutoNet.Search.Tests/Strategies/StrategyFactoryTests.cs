using AutoNet.Search.Strategies;
using AutoNet.Search.Tests.Spaces;

namespace AutoNet.Search.Tests.Strategies;

[Collection(TorchStateCollection.Name)]
public sealed class StrategyFactoryTests
{
    [Theory]
    [InlineData("random", typeof(RandomSearch))]
    [InlineData("evolution", typeof(RegularizedEvolution))]
    [InlineData("rl", typeof(ReinforceStrategy))]
    [InlineData("tpe", typeof(TpeStrategy))]
    [InlineData("evolution+tpe", typeof(CombinedStrategy))]
    public void Each_name_creates_its_strategy_under_that_name(string name, Type type)
    {
        var strategy = StrategyFactory.Create(name, TestSpaces.Shipped("darts"), 1);

        Assert.IsType(type, strategy);
        Assert.Equal(name, strategy.Name);
        (strategy as IDisposable)?.Dispose();
    }

    [Fact]
    public void An_unknown_name_is_refused_listing_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => StrategyFactory.Create("bayes", TestSpaces.Shipped("darts"), 1));

        Assert.Contains("'bayes'", error.Message);
        Assert.Contains("random, grid, evolution, rl, tpe", error.Message);
    }
}
